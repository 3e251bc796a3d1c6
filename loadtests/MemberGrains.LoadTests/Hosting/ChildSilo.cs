using System.Diagnostics;

namespace MemberGrains.LoadTests.Hosting;

/// <summary>A silo child process: its output copied to a log file; stopped with SIGTERM, killed if it lingers; also killed when this process exits.</summary>
internal sealed class ChildSilo : IRunningSilo
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Task _pumps;
    private readonly EventHandler _onExit;
    private int _disposed;

    public ChildSilo(Process process, Uri grpcAddress, string logPath)
    {
        _process = process;
        GrpcAddress = grpcAddress;
        LogPath = logPath;
        _log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        _pumps = Task.WhenAll(PumpAsync(process.StandardOutput, string.Empty), PumpAsync(process.StandardError, "stderr: "));
        // Ctrl+C unwinds through DisposeAsync; this covers an exit that skips it.
        _onExit = (_, _) => KillNow();
        AppDomain.CurrentDomain.ProcessExit += _onExit;
    }

    public Uri GrpcAddress { get; }

    public string LogPath { get; }

    public int ProcessId => _process.Id;

    public string Description => $"child process {_process.Id} (same program, `silo` mode), log {LogPath}";

    /// <summary>Why the child is gone, or null while it runs.</summary>
    public string? ExitReason()
    {
        if (!_process.HasExited)
        {
            return null;
        }

        return $"exit code {_process.ExitCode}; see {LogPath}:{Environment.NewLine}{Tail()}";
    }

    /// <summary>Whether the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>SIGKILL, as a crash or the OOM killer would: no shutdown at all. Returns once the process is gone.</summary>
    public async Task KillAsync(CancellationToken cancellationToken)
    {
        KillNow(entireProcessTree: false);
        await _process.WaitForExitAsync(cancellationToken);
    }

    /// <summary>
    /// SIGTERM, as a rolling restart or a service manager sends: the silo stops gracefully. Returns
    /// true once it exited, false when it was still running after <paramref name="grace"/> (it is
    /// then killed).
    /// </summary>
    public async Task<bool> TerminateAsync(TimeSpan grace, CancellationToken cancellationToken)
    {
        Terminate(_process.Id);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(grace);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            KillNow();
            await _process.WaitForExitAsync(cancellationToken);
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= _onExit;
        try
        {
            if (!_process.HasExited)
            {
                // Graceful first: every acknowledged change is committed already, so a slow shutdown
                // (deactivating a million members) is cut short rather than waited for.
                Terminate(_process.Id);
                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                try
                {
                    await _process.WaitForExitAsync(grace.Token);
                }
                catch (OperationCanceledException)
                {
                    KillNow();
                    await _process.WaitForExitAsync(CancellationToken.None);
                }
            }

            await _pumps.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        finally
        {
            await _log.DisposeAsync();
            _process.Dispose();
        }
    }

    private void KillNow(bool entireProcessTree = true)
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private string Tail()
    {
        try
        {
            using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            var lines = reader.ReadToEnd().Split('\n');
            return string.Join('\n', lines.TakeLast(20));
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }

    private async Task PumpAsync(StreamReader reader, string prefix)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (_log)
            {
                _log.WriteLine(prefix + line);
            }
        }
    }

    /// <summary>SIGTERM (what Ctrl+C or a service manager sends): the host stops gracefully.</summary>
    private static void Terminate(int pid)
    {
        try
        {
            using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", pid.ToString(System.Globalization.CultureInfo.InvariantCulture) }, UseShellExecute = false });
            kill?.WaitForExit();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No kill(1): the caller kills it after the grace period.
        }
    }
}

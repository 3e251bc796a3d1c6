namespace MemberGrains.LoadTests;

/// <summary>The repository root: the nearest folder up from a start folder that holds MemberGrains.sln.</summary>
internal static class RepositoryRoot
{
    public const string SolutionFile = "MemberGrains.sln";

    /// <summary>From the current folder, then from the program's own folder; null when neither is inside the repository.</summary>
    public static string? Find() => FindFrom(Environment.CurrentDirectory) ?? FindFrom(AppContext.BaseDirectory);

    public static string? FindFrom(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, SolutionFile)))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}

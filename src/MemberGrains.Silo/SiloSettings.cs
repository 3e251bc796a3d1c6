namespace MemberGrains.Silo;

/// <summary>The <c>MemberGrains</c> configuration section (appsettings.json, MEMBERGRAINS__… environment variables, --MemberGrains:… arguments).</summary>
public sealed class SiloSettings
{
    public const string Section = "MemberGrains";

    /// <summary>Address gRPC listens on; 127.0.0.1 by default, 0.0.0.0 to listen on all interfaces.</summary>
    public string GrpcHost { get; set; } = "127.0.0.1";

    /// <summary>gRPC port (HTTP/2); 0 picks a free one.</summary>
    public int GrpcPort { get; set; } = 5080;

    /// <summary>
    /// Port of the HTTP/1.1 endpoint for browsers (the store screen page, its JSON and live events),
    /// on <see cref="GrpcHost"/>; 0 picks a free one, -1 turns it off.
    /// </summary>
    public int HttpPort { get; set; } = 5081;

    /// <summary>Store screens' live feeds.</summary>
    public ScreenSettings Screens { get; set; } = new();

    /// <summary>API keys on every call.</summary>
    public AuthSettings Auth { get; set; } = new();

    /// <summary>PKCS#12 certificate for TLS on the gRPC endpoint; none means h2c (plain HTTP/2).</summary>
    public string? TlsCertificatePath { get; set; }

    /// <summary>Password of <see cref="TlsCertificatePath"/>.</summary>
    public string? TlsCertificatePassword { get; set; }

    /// <summary><c>Localhost</c> (one silo, development) or <c>AdoNet</c> (membership in Postgres, several silos).</summary>
    public string Clustering { get; set; } = "Localhost";

    public string ClusterId { get; set; } = "membergrains";

    public string ServiceId { get; set; } = "membergrains";

    /// <summary>Silo-to-silo port.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Orleans client gateway port.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// Address other silos reach this one at (AdoNet clustering): an IP address, or a host name
    /// resolved to its first IPv4 address at start-up (a container's own name, say).
    /// </summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary><c>text</c> (one line per event) or <c>json</c> (one JSON object per line, with structured fields).</summary>
    public string LogFormat { get; set; } = "text";

    /// <summary>
    /// Minutes a member stays in memory after its last call before Orleans deactivates it: longer
    /// means fewer cold reads from Postgres and more memory (a few KB per member).
    /// </summary>
    public int MemberIdleMinutes { get; set; } = 30;

    /// <summary>Data folder of the embedded PostgreSQL started when no connection string is configured.</summary>
    public string EmbeddedPostgresDirectory { get; set; } = ".data/postgres";

    /// <summary>
    /// Whether a silo without a connection string may start its own PostgreSQL: null (the default)
    /// allows it in the Development environment only, so a production silo whose connection string
    /// went missing stops at start-up instead of serving from an empty local database.
    /// </summary>
    public bool? EmbeddedPostgres { get; set; }

    /// <summary>
    /// Whether start-up seeds the demo members (<see cref="Demo.DemoMembers"/>) into a database that
    /// has no other member: null (the default) does in Development on the embedded PostgreSQL only,
    /// where the demo API keys are made too.
    /// </summary>
    public bool? DemoMembers { get; set; }

    /// <summary>How fast the cluster notices a dead silo (AdoNet clustering).</summary>
    public MembershipSettings Membership { get; set; } = new();
}

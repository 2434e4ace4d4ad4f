using System.Globalization;

namespace K8sSharp.Kubelet.Server.Logs;

/// <summary>
/// The options of <c>GET /containerLogs/{ns}/{pod}/{container}</c> (upstream's PodLogOptions as the API server passes
/// them on): follow, previous, timestamps, tailLines, sinceSeconds or sinceTime, limitBytes. Parsing validates as
/// upstream's ValidatePodLogOptions and throws <see cref="FormatException"/> with its message.
/// </summary>
internal sealed record LogRequest
{
    public bool Follow { get; init; }

    public bool Previous { get; init; }

    public bool Timestamps { get; init; }

    /// <summary>Only the last N lines of the file (null: all).</summary>
    public long? TailLines { get; init; }

    /// <summary>Stop after this many bytes of output (null: no limit).</summary>
    public long? LimitBytes { get; init; }

    /// <summary>Only lines at or after this time (from sinceTime, or now minus sinceSeconds).</summary>
    public DateTimeOffset? Since { get; init; }

    public static LogRequest Parse(Func<string, string?> query, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(query);
        var sinceSeconds = Long(query, "sinceSeconds");
        var sinceTime = query("sinceTime") is { Length: > 0 } text ? Time(text) : (DateTimeOffset?)null;
        var request = new LogRequest
        {
            Follow = Bool(query, "follow"),
            Previous = Bool(query, "previous"),
            Timestamps = Bool(query, "timestamps"),
            TailLines = Long(query, "tailLines"),
            LimitBytes = Long(query, "limitBytes"),
            Since = sinceTime ?? (sinceSeconds is { } s ? now.AddSeconds(-s) : null),
        };
        Validate(request, sinceSeconds, sinceTime);
        return request;
    }

    private static void Validate(LogRequest request, long? sinceSeconds, DateTimeOffset? sinceTime)
    {
        if (request.TailLines < 0)
        {
            throw new FormatException("tailLines: Invalid value: must be greater than or equal to 0");
        }
        if (request.LimitBytes < 1)
        {
            throw new FormatException("limitBytes: Invalid value: must be greater than 0");
        }
        if (sinceSeconds is not null && sinceTime is not null)
        {
            throw new FormatException("sinceSeconds: Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified");
        }
        if (sinceSeconds < 1)
        {
            throw new FormatException("sinceSeconds: Invalid value: must be greater than 0");
        }
    }

    private static bool Bool(Func<string, string?> query, string name) => query(name) switch
    {
        null or "" or "false" or "0" => false,
        "true" or "1" => true,
        var other => throw new FormatException($"{name}: Invalid value: \"{other}\": not a boolean"),
    };

    private static long? Long(Func<string, string?> query, string name) => query(name) switch
    {
        null or "" => null,
        var text => long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new FormatException($"{name}: Invalid value: \"{text}\": not an integer"),
    };

    private static DateTimeOffset Time(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : throw new FormatException($"sinceTime: Invalid value: \"{text}\": not an RFC 3339 time");
}

using System.Globalization;
using K8sSharp.Api.Meta;

namespace K8sSharp.ApiServer.Endpoints;

/// <summary>Typed access to the query parameters of resource requests, with upstream's validation messages.</summary>
internal static class QueryOptions
{
    public static string? Get(this HttpRequest request, string name) =>
        request.Query.TryGetValue(name, out var values) && values.Count > 0 ? values[^1] : null;

    public static bool GetBool(this HttpRequest request, string name) =>
        request.Get(name) is { } value && (value.Length == 0 || value is "true" or "1" or "True");

    public static long? GetLong(this HttpRequest request, string name)
    {
        var value = request.Get(name);
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        return long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw ApiException.BadRequest($"invalid value for {name}: {value}");
    }

    /// <summary>dryRun accepts only "All" (upstream: "Invalid dryRun value").</summary>
    public static bool IsDryRun(this HttpRequest request)
    {
        var values = request.Query["dryRun"];
        if (values.Count == 0)
        {
            return false;
        }
        return values.All(v => v == "All")
            ? true
            : throw ApiException.BadRequest($"Invalid dryRun value: {string.Join(",", values.ToArray())}; only \"All\" is supported");
    }

    public static string FieldValidation(this HttpRequest request)
    {
        var value = request.Get("fieldValidation");
        return value switch
        {
            null or "" or "Warn" => "Warn",
            "Strict" or "Ignore" => value,
            _ => throw ApiException.BadRequest($"fieldValidation {value} is invalid, valid values are: Ignore, Warn, or Strict"),
        };
    }

    /// <summary>The field manager: the query value, else the User-Agent's product name as upstream derives it.</summary>
    public static string FieldManager(this HttpRequest request)
    {
        if (request.Get("fieldManager") is { Length: > 0 } manager)
        {
            return manager.Length <= 128 ? manager : throw ApiException.BadRequest("fieldManager: Too long: may not be more than 128 bytes");
        }
        var agent = request.Headers.UserAgent.ToString();
        var product = agent.Split('/')[0];
        return product.Length == 0 ? "unknown" : product;
    }
}

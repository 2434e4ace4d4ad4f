using System.Globalization;
using System.Text.Json.Nodes;
using K8sSharp.Api.Quota;

namespace K8sSharp.ApiServer.Registry.Admission;

/// <summary>
/// The checks of upstream's LimitRanger (plugin/pkg/admission/limitranger): a LimitRange item's <c>min</c>,
/// <c>max</c> and <c>maxLimitRequestRatio</c> against the requests and limits of one Container, of a Pod (the sum over
/// its containers) or of a PersistentVolumeClaim, with upstream's messages.
/// </summary>
internal static class LimitRangeConstraints
{
    /// <summary>Every violation of one LimitRange item by the given requests and limits.</summary>
    public static IEnumerable<string> Check(JsonObject item, string limitType, ResourceList requests, ResourceList limits)
    {
        foreach (var (name, min) in ResourceList.FromJson(item["min"]))
        {
            if (Min(limitType, name, min, requests, limits) is { } error)
            {
                yield return error;
            }
        }
        foreach (var (name, max) in ResourceList.FromJson(item["max"]))
        {
            var error = limitType == "PersistentVolumeClaim" ? MaxRequest(limitType, name, max, requests) : Max(limitType, name, max, requests, limits);
            if (error is not null)
            {
                yield return error;
            }
        }
        foreach (var (name, ratio) in ResourceList.FromJson(item["maxLimitRequestRatio"]))
        {
            if (Ratio(limitType, name, ratio, requests, limits) is { } error)
            {
                yield return error;
            }
        }
    }

    private static string? Min(string type, string name, Quantity enforced, ResourceList requests, ResourceList limits)
    {
        if (!requests.TryGetValue(name, out var request))
        {
            return $"minimum {name} usage per {type} is {enforced}.  No request is specified";
        }
        if (request.Value < enforced.Value)
        {
            return $"minimum {name} usage per {type} is {enforced}, but request is {request}";
        }
        return limits.TryGetValue(name, out var limit) && limit.Value < enforced.Value
            ? $"minimum {name} usage per {type} is {enforced}, but limit is {limit}"
            : null;
    }

    private static string? Max(string type, string name, Quantity enforced, ResourceList requests, ResourceList limits)
    {
        if (!limits.TryGetValue(name, out var limit))
        {
            return $"maximum {name} usage per {type} is {enforced}.  No limit is specified";
        }
        if (limit.Value > enforced.Value)
        {
            return $"maximum {name} usage per {type} is {enforced}, but limit is {limit}";
        }
        return requests.TryGetValue(name, out var request) && request.Value > enforced.Value
            ? $"maximum {name} usage per {type} is {enforced}, but request is {request}"
            : null;
    }

    /// <summary>Claims have no limits: their max applies to the request.</summary>
    private static string? MaxRequest(string type, string name, Quantity enforced, ResourceList requests)
    {
        if (!requests.TryGetValue(name, out var request))
        {
            return $"maximum {name} usage per {type} is {enforced}.  No request is specified";
        }
        return request.Value > enforced.Value ? $"maximum {name} usage per {type} is {enforced}, but request is {request}" : null;
    }

    private static string? Ratio(string type, string name, Quantity enforced, ResourceList requests, ResourceList limits)
    {
        if (!requests.TryGetValue(name, out var request) || request.Value == 0)
        {
            return $"{name} max limit to request ratio per {type} is {enforced}, but no request is specified or request is 0";
        }
        if (!limits.TryGetValue(name, out var limit) || limit.Value == 0)
        {
            return $"{name} max limit to request ratio per {type} is {enforced}, but no limit is specified or limit is 0";
        }
        var observed = limit.Value / request.Value;
        return observed > enforced.Value
            ? $"{name} max limit to request ratio per {type} is {enforced}, but provided ratio is {observed.ToString("F6", CultureInfo.InvariantCulture)}"
            : null;
    }
}

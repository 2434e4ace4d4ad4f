using System.Text;
using System.Text.Json.Nodes;
using K8sSharp.Api.Internal;

namespace K8sSharp.Api.Printing;

/// <summary>
/// Cluster-operations kinds: CertificateSigningRequest, ResourceQuota, ComponentStatus, FlowSchema,
/// PriorityLevelConfiguration and the resource.k8s.io (DRA) kinds.
/// </summary>
internal static class ClusterPrinters
{
    private const string Dra = "resource.k8s.io";
    private const string FlowControl = "flowcontrol.apiserver.k8s.io";

    public static IEnumerable<KindPrinter> All()
    {
        yield return new KindPrinter("certificates.k8s.io", "CertificateSigningRequest",
        [
            Col.Name, Col.Age, Col.Str("SignerName", ColumnDocs.CsrSignerName), Col.Str("Requestor", ColumnDocs.CsrRequest),
            Col.Str("RequestedDuration", ColumnDocs.CsrExpiration), Col.Str("Condition", ColumnDocs.CsrConditions),
        ], (csr, now) => new JsonArray(
            PrintFormat.Name(csr),
            PrintFormat.CreationAge(csr, now),
            PrintFormat.OrNone(csr.S("spec", "signerName")),
            csr.S("spec", "username"),
            csr.Long("spec", "expirationSeconds") is { } s ? HumanDuration.Format(TimeSpan.FromSeconds(s)) : "<none>",
            CsrCondition(csr)));
        yield return new KindPrinter("", "ResourceQuota",
        [
            Col.Name, Col.Age, Col.Str("Request", "Request represents a minimum amount of cpu/memory that a container may consume."),
            Col.Str("Limit", "Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node."),
        ], ResourceQuota);
        yield return new KindPrinter("", "ComponentStatus",
        [
            Col.Name, Col.Str("Status", "Status of the component conditions"), Col.Str("Message", "Message of the component conditions"),
            Col.Str("Error", "Error of the component conditions"),
        ], ComponentStatus);
        yield return new KindPrinter(FlowControl, "FlowSchema",
        [
            Col.Name, Col.Str("PriorityLevel", ColumnDocs.FsPriorityLevel), Col.Str("MatchingPrecedence", ColumnDocs.FsPrecedence),
            Col.Str("DistinguisherMethod", ColumnDocs.FsDistinguisher), Col.Age,
            Col.Str("MissingPL", "references a broken or non-existent PriorityLevelConfiguration"),
        ], (fs, now) => new JsonArray(
            PrintFormat.Name(fs),
            fs.S("spec", "priorityLevelConfiguration", "name"),
            fs.L("spec", "matchingPrecedence"),
            fs.Str("spec", "distinguisherMethod", "type") ?? "<none>",
            PrintFormat.CreationAge(fs, now),
            fs.Objects("status", "conditions").FirstOrDefault(c => c.S("type") == "Dangling")?.S("status") ?? "?"));
        yield return new KindPrinter(FlowControl, "PriorityLevelConfiguration",
        [
            Col.Name, Col.Str("Type", ColumnDocs.PlType), Col.Str("NominalConcurrencyShares", ColumnDocs.PlShares),
            Col.Str("Queues", ColumnDocs.PlQueues), Col.Str("HandSize", ColumnDocs.PlHandSize),
            Col.Str("QueueLengthLimit", ColumnDocs.PlQueueLength), Col.Age,
        ], PriorityLevel);
        foreach (var printer in DynamicResourceAllocation())
        {
            yield return printer;
        }
    }

    private static IEnumerable<KindPrinter> DynamicResourceAllocation()
    {
        yield return new KindPrinter(Dra, "DeviceClass", [Col.Name, Col.Age],
            (dc, now) => new JsonArray(PrintFormat.Name(dc), PrintFormat.CreationAge(dc, now)));
        yield return new KindPrinter(Dra, "ResourceClaimTemplate", [Col.Name, Col.Age],
            (t, now) => new JsonArray(PrintFormat.Name(t), PrintFormat.CreationAge(t, now)));
        yield return new KindPrinter(Dra, "ResourceClaim",
            [Col.Name, Col.Str("State", "A summary of the current state (allocated, pending, reserved, etc.)."), Col.Age],
            (rc, now) => new JsonArray(PrintFormat.Name(rc), ClaimState(rc), PrintFormat.CreationAge(rc, now)));
        yield return new KindPrinter(Dra, "ResourceSlice",
        [
            Col.Name, Col.Str("Node", ColumnDocs.SliceNode), Col.Str("Driver", ColumnDocs.SliceDriver),
            Col.Str("Pool", ColumnDocs.SlicePool), Col.Age,
        ], (rs, now) => new JsonArray(PrintFormat.Name(rs), rs.S("spec", "nodeName"), rs.S("spec", "driver"),
            rs.S("spec", "pool", "name"), PrintFormat.CreationAge(rs, now)));
    }

    // Denied beats Approved beats Pending; ",Failed" and ",Issued" are appended when they apply.
    private static string CsrCondition(JsonObject csr)
    {
        var types = csr.Objects("status", "conditions").Select(c => c.S("type")).ToHashSet(StringComparer.Ordinal);
        var status = types.Contains("Denied") ? "Denied" : types.Contains("Approved") ? "Approved" : "Pending";
        if (types.Contains("Failed"))
        {
            status += ",Failed";
        }
        return csr.S("status", "certificate").Length > 0 ? status + ",Issued" : status;
    }

    // "resource: used/hard" for each hard limit sorted by name; limits.* go to the Limit column.
    private static JsonArray ResourceQuota(JsonObject quota, DateTimeOffset now)
    {
        var requests = new StringBuilder();
        var limits = new StringBuilder();
        var hard = quota.StringMap("status", "hard");
        var used = quota.StringMap("status", "used");
        foreach (var name in hard.Keys.Order(StringComparer.Ordinal))
        {
            var target = name.Split('.') is [ "limits", _, .. ] ? limits : requests;
            target.Append(name).Append(": ").Append(used.GetValueOrDefault(name, "0")).Append('/').Append(hard[name]).Append(", ");
        }
        return new JsonArray(
            PrintFormat.Name(quota),
            PrintFormat.CreationAge(quota, now),
            TrimListSeparator(requests.ToString()),
            TrimListSeparator(limits.ToString()));
    }

    private static string TrimListSeparator(string text) =>
        text.EndsWith(", ", StringComparison.Ordinal) ? text[..^2] : text;

    private static JsonArray ComponentStatus(JsonObject cs, DateTimeOffset now)
    {
        var healthy = cs.Objects("conditions").FirstOrDefault(c => c.S("type") == "Healthy");
        var status = healthy is null ? "Unknown" : healthy.S("status") == "True" ? "Healthy" : "Unhealthy";
        return new JsonArray(PrintFormat.Name(cs), status, healthy.S("message"), healthy.S("error"));
    }

    // Limited levels show their shares and, when queuing, the queue shape; other cells print <none>.
    private static JsonArray PriorityLevel(JsonObject pl, DateTimeOffset now)
    {
        var limited = pl.Obj("spec", "limited");
        var queuing = limited.Obj("limitResponse", "queuing");
        JsonNode? Number(JsonNode? owner, string field) => owner is null ? "<none>" : owner.L(field);
        return new JsonArray(
            PrintFormat.Name(pl),
            pl.S("spec", "type"),
            Number(limited, "nominalConcurrencyShares"),
            Number(queuing, "queues"),
            Number(queuing, "handSize"),
            Number(queuing, "queueLengthLimit"),
            PrintFormat.CreationAge(pl, now));
    }

    private static string ClaimState(JsonObject claim)
    {
        var deleted = claim.At("metadata", "deletionTimestamp") is not null;
        var states = new List<string>();
        if (deleted)
        {
            states.Add("deleted");
        }
        if (claim.At("status", "allocation") is null)
        {
            if (!deleted)
            {
                states.Add("pending");
            }
        }
        else
        {
            states.Add("allocated");
            if (claim.Arr("status", "reservedFor").Count > 0)
            {
                states.Add("reserved");
            }
        }
        return string.Join(",", states);
    }
}

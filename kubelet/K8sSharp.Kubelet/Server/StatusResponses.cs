using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace K8sSharp.Kubelet.Server;

/// <summary>
/// Errors as a metav1 Status (JSON), the shape the API server relays byte for byte to kubectl, which prints
/// <c>Error from server (Reason): message</c>.
/// </summary>
internal static class StatusResponses
{
    public static Task WriteAsync(HttpContext context, int code, string message)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        var status = new Dictionary<string, object>
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new Dictionary<string, object>(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = Reason(code),
            ["code"] = code,
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(status), context.RequestAborted);
    }

    public static Task BadRequest(HttpContext context, string message) => WriteAsync(context, StatusCodes.Status400BadRequest, message);

    public static Task NotFound(HttpContext context, string message) => WriteAsync(context, StatusCodes.Status404NotFound, message);

    private static string Reason(int code) => code switch
    {
        400 => "BadRequest",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "NotFound",
        503 => "ServiceUnavailable",
        _ => "InternalError",
    };
}

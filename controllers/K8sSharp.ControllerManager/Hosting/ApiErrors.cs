using System.Net;
using k8s.Autorest;

namespace K8sSharp.ControllerManager.Hosting;

/// <summary>Classifies API failures the way controllers branch on them (apimachinery's errors.IsNotFound etc.).</summary>
internal static class ApiErrors
{
    public static bool IsNotFound(Exception e) => Status(e) == HttpStatusCode.NotFound;

    public static bool IsAlreadyExists(Exception e) => Status(e) == HttpStatusCode.Conflict && Body(e).Contains("AlreadyExists", StringComparison.Ordinal);

    /// <summary>403 with cause NamespaceTerminating: creating in a namespace being deleted; not worth retrying.</summary>
    public static bool IsNamespaceTerminating(Exception e) =>
        Status(e) == HttpStatusCode.Forbidden
        && (Body(e).Contains("NamespaceTerminating", StringComparison.Ordinal) || Body(e).Contains("being terminated", StringComparison.Ordinal));

    /// <summary>
    /// What Go's err.Error() says for a failed call: the Status message of an API error (e.g. <c>deployments.apps "web"
    /// not found</c>), else the exception's own message.
    /// </summary>
    public static string Message(Exception e)
    {
        ArgumentNullException.ThrowIfNull(e);
        try
        {
            if (System.Text.Json.Nodes.JsonNode.Parse(Body(e)) is System.Text.Json.Nodes.JsonObject status && (string?)status["message"] is { } message)
            {
                return message;
            }
        }
        catch (System.Text.Json.JsonException)
        {
            // Not a Status body.
        }
        return e.Message;
    }

    private static HttpStatusCode? Status(Exception e) => (e as HttpOperationException)?.Response?.StatusCode;

    private static string Body(Exception e) => (e as HttpOperationException)?.Response?.Content ?? string.Empty;
}

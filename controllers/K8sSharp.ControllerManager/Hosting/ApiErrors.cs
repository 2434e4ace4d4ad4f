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

    private static HttpStatusCode? Status(Exception e) => (e as HttpOperationException)?.Response?.StatusCode;

    private static string Body(Exception e) => (e as HttpOperationException)?.Response?.Content ?? string.Empty;
}

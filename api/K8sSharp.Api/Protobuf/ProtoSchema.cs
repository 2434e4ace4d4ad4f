using System.Text.RegularExpressions;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace K8sSharp.Api.Protobuf;

/// <summary>
/// The k8s.io descriptors (compiled by protoc at build time into the embedded resource
/// <c>proto/k8s-protos.pb</c>) and the apiVersion/kind -> message lookup. Loaded once, lazily, thread-safe.
/// </summary>
internal sealed partial class ProtoSchema
{
    private const string MetaPackage = "k8s.io.apimachinery.pkg.apis.meta.v1";
    private static readonly Lazy<ProtoSchema> Shared = new(Load);

    private readonly Dictionary<string, MessageDescriptor> _messages = new(StringComparer.Ordinal);
    // "<first DNS label of the group>/<version>" -> proto package, e.g. "rbac/v1" -> "k8s.io.api.rbac.v1".
    private readonly Dictionary<string, string> _packages = new(StringComparer.Ordinal);

    public static ProtoSchema Instance => Shared.Value;

    /// <summary>The message for an envelope's apiVersion and kind, or null. Kinds that the group's package
    /// lacks (DeleteOptions, Status, List... which clients send under any apiVersion) come from meta/v1.</summary>
    public MessageDescriptor? Find(string apiVersion, string kind)
    {
        var slash = apiVersion.LastIndexOf('/');
        var group = slash < 0 ? "" : apiVersion[..slash];
        var label = group.Length == 0 ? "core" : group.Split('.')[0];
        // The one group whose Go package is not named after its first label.
        if (label == "internal") label = "apiserverinternal";
        if (_packages.TryGetValue($"{label}/{apiVersion[(slash + 1)..]}", out var package)
            && _messages.TryGetValue($"{package}.{kind}", out var message))
            return message;
        return _messages.GetValueOrDefault($"{MetaPackage}.{kind}");
    }

    public MessageDescriptor Message(string fullName) => _messages[fullName];

    public IEnumerable<MessageDescriptor> Messages => _messages.Values;

    private static ProtoSchema Load()
    {
        using var stream = typeof(ProtoSchema).Assembly.GetManifestResourceStream("proto/k8s-protos.pb")
            ?? throw new InvalidOperationException("embedded resource proto/k8s-protos.pb is missing");
        var set = FileDescriptorSet.Parser.ParseFrom(stream);
        // protoc --include_imports writes dependencies before their dependents, as BuildFromByteStrings needs.
        var files = FileDescriptor.BuildFromByteStrings(set.File.Select(f => f.ToByteString()));
        var schema = new ProtoSchema();
        foreach (var message in files.SelectMany(f => f.MessageTypes))
            schema._messages[message.FullName] = message;
        foreach (var file in set.File)
        {
            // go_package "k8s.io/api/apps/v1" or "k8s.io/apimachinery/pkg/apis/meta/v1" names group and version.
            var match = GoPackagePattern().Match(file.Options?.GoPackage ?? "");
            if (match.Success)
                schema._packages[$"{match.Groups[1].Value}/{match.Groups[2].Value}"] = file.Package;
        }
        return schema;
    }

    [GeneratedRegex(@"^k8s\.io/(?:api|apimachinery/pkg/apis)/([a-z0-9]+)/(v[a-z0-9]+)$")]
    private static partial Regex GoPackagePattern();
}

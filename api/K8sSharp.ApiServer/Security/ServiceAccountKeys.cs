using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace K8sSharp.ApiServer.Security;

/// <summary>
/// The service-account signing key: RSA 2048 with RS256, upstream's default (kubeadm's <c>sa.key</c>/<c>sa.pub</c>),
/// made on first start and kept in <c>&lt;data-dir&gt;/pki/sa.key</c> (PKCS#8) and <c>sa.pub</c> (PKIX). The key id
/// (<c>kid</c>) is computed as upstream does: the unpadded base64url SHA-256 of the DER public key, so it is stable
/// across restarts and identifies the key in the JWKS document.
/// </summary>
internal sealed class ServiceAccountKeys : IDisposable
{
    public const string Algorithm = "RS256";

    private readonly RSA key;

    private ServiceAccountKeys(RSA key)
    {
        this.key = key;
        KeyId = Base64Url.EncodeToString(SHA256.HashData(key.ExportSubjectPublicKeyInfo()));
    }

    public string KeyId { get; }

    public static ServiceAccountKeys LoadOrCreate(string pkiDirectory)
    {
        Directory.CreateDirectory(pkiDirectory);
        var keyPath = Path.Combine(pkiDirectory, "sa.key");
        var publicPath = Path.Combine(pkiDirectory, "sa.pub");
        RSA key;
        if (File.Exists(keyPath))
        {
            key = RSA.Create();
            key.ImportFromPem(File.ReadAllText(keyPath));
        }
        else
        {
            key = RSA.Create(2048);
            File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
            File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        File.WriteAllText(publicPath, key.ExportSubjectPublicKeyInfoPem());
        return new ServiceAccountKeys(key);
    }

    /// <summary>An RS256 signature (RSASSA-PKCS1-v1_5 with SHA-256) of <paramref name="data"/>.</summary>
    public byte[] Sign(byte[] data) => key.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    public bool Verify(byte[] data, byte[] signature) =>
        key.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    /// <summary>The public key as a JSON Web Key, the single entry of <c>/openid/v1/jwks</c>.</summary>
    public JsonObject PublicJwk()
    {
        var parameters = key.ExportParameters(includePrivateParameters: false);
        return new JsonObject
        {
            ["use"] = "sig",
            ["kty"] = "RSA",
            ["kid"] = KeyId,
            ["alg"] = Algorithm,
            ["n"] = Base64Url.EncodeToString(parameters.Modulus),
            ["e"] = Base64Url.EncodeToString(parameters.Exponent),
        };
    }

    public void Dispose() => key.Dispose();
}

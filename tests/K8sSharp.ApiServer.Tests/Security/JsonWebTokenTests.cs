using System.Buffers.Text;
using System.Text;
using System.Text.Json.Nodes;
using K8sSharp.ApiServer.Security;

namespace K8sSharp.ApiServer.Tests.Security;

/// <summary>The hand-rolled compact JWS: round trip, and every way a token may be refused.</summary>
public sealed class JsonWebTokenTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "k8ssharp-jwt-" + Guid.NewGuid().ToString("N"));
    private readonly ServiceAccountKeys keys;

    public JsonWebTokenTests() => keys = ServiceAccountKeys.LoadOrCreate(directory);

    public void Dispose()
    {
        keys.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public void EncodesAndVerifies()
    {
        var token = JsonWebToken.Encode(new JsonObject { ["sub"] = "me" }, keys);
        var header = JsonNode.Parse(Base64Url.DecodeFromChars(token.Split('.')[0]))!;
        header["alg"]!.GetValue<string>().Should().Be("RS256");
        header["kid"]!.GetValue<string>().Should().Be(keys.KeyId);
        JsonWebToken.Decode(token, keys, out _)!["sub"]!.GetValue<string>().Should().Be("me");
    }

    [Fact]
    public void KeysSurviveARestartWithTheSameKeyId()
    {
        using var reloaded = ServiceAccountKeys.LoadOrCreate(directory);
        reloaded.KeyId.Should().Be(keys.KeyId);
        JsonWebToken.Decode(JsonWebToken.Encode(new JsonObject(), keys), reloaded, out _).Should().NotBeNull();
        File.Exists(Path.Combine(directory, "sa.pub")).Should().BeTrue();
    }

    [Fact]
    public void RefusesTamperedForeignUnsignedAndMalformedTokens()
    {
        var parts = JsonWebToken.Encode(new JsonObject { ["sub"] = "me" }, keys).Split('.');
        var otherPayload = Base64Url.EncodeToString(Encoding.UTF8.GetBytes("""{"sub":"admin"}"""));
        Refused($"{parts[0]}.{otherPayload}.{parts[2]}").Should().Be("invalid signature");

        using var foreign = ServiceAccountKeys.LoadOrCreate(Path.Combine(directory, "other"));
        Refused(JsonWebToken.Encode(new JsonObject { ["sub"] = "me" }, foreign)).Should().Be("invalid signature");

        var none = Base64Url.EncodeToString(Encoding.UTF8.GetBytes("""{"alg":"none"}"""));
        Refused($"{none}.{parts[1]}.").Should().Be("token is not signed with RS256");
        Refused("a.b").Should().Be("token is not a compact JWS");
        Refused("!!.??.**").Should().Be("token is malformed");
    }

    [Fact]
    public void ClaimsRoundTripToTheServiceAccountUser()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        var claims = new ServiceAccountClaims(ServiceAccountTokens.Issuer, ["a"], now.AddHours(1), now, "id-1", "ns", new ClaimRef("sa", "u-1"),
            new BoundObjects(Pod: new ClaimRef("p", "u-2")));
        var parsed = ServiceAccountClaims.Parse(claims.ToJson(now), out _)!;
        parsed.Should().BeEquivalentTo(claims);
        var user = parsed.ToUserInfo();
        user.Name.Should().Be("system:serviceaccount:ns:sa");
        user.Uid.Should().Be("u-1");
        user.Extra!["authentication.kubernetes.io/pod-uid"].Should().Equal("u-2");

        var wrongSubject = claims.ToJson(now);
        wrongSubject["sub"] = "system:serviceaccount:ns:other";
        ServiceAccountClaims.Parse(wrongSubject, out var error).Should().BeNull();
        error.Should().Contain("subject");
    }

    private string Refused(string token)
    {
        JsonWebToken.Decode(token, keys, out var error).Should().BeNull();
        return error;
    }
}

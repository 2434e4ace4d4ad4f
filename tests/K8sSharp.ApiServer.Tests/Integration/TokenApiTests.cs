using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using K8sSharp.ApiServer.Security;
using Microsoft.Extensions.DependencyInjection;
using static K8sSharp.ApiServer.Tests.Integration.HttpJson;

namespace K8sSharp.ApiServer.Tests.Integration;

/// <summary>TokenRequest, bearer-token authentication, TokenReview and issuer discovery, over HTTPS.</summary>
public sealed class TokenApiTests(ApiServerFixture server) : IClassFixture<ApiServerFixture>
{
    private HttpClient Client => server.Client;

    private async Task<JsonObject> CreateServiceAccountAsync(string name)
    {
        var response = await Client.PostAsync("/api/v1/namespaces/default/serviceaccounts", Body($$$"""{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"{{{name}}}"}}"""));
        response.StatusCode.Should().Be(HttpStatusCode.Created);
        return await response.ReadObjectAsync();
    }

    private async Task<JsonObject> RequestTokenAsync(string serviceAccount, string spec = "{}")
    {
        var response = await Client.PostAsync($"/api/v1/namespaces/default/serviceaccounts/{serviceAccount}/token",
            Body($$"""{"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","spec":{{spec}}}"""));
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.ReadObjectAsync();
    }

    private async Task<HttpStatusCode> ListConfigMapsWithAsync(string token)
    {
        using var client = server.CreateClient(withCertificate: false);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return (await client.GetAsync("/api/v1/namespaces/default/configmaps")).StatusCode;
    }

    private async Task<JsonObject> ReviewAsync(string token, string audiences = "[]")
    {
        var review = $$$"""{"apiVersion":"authentication.k8s.io/v1","kind":"TokenReview","spec":{"token":"{{{token}}}","audiences":{{{audiences}}}}}""";
        var response = await Client.PostAsync("/apis/authentication.k8s.io/v1/tokenreviews", Body(review));
        response.StatusCode.Should().Be(HttpStatusCode.Created);
        return (JsonObject)(await response.ReadObjectAsync())["status"]!;
    }

    [Fact]
    public async Task TokenRequestIssuesAJwtWithUpstreamClaims()
    {
        var sa = await CreateServiceAccountAsync("claims");
        var request = await RequestTokenAsync("claims", """{"expirationSeconds":1200,"audiences":["vault"]}""");
        request["spec"]!["expirationSeconds"]!.GetValue<long>().Should().Be(1200);
        var token = request["status"]!["token"]!.GetValue<string>();
        var expiration = DateTimeOffset.Parse(request["status"]!["expirationTimestamp"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        expiration.Should().BeCloseTo(DateTimeOffset.UtcNow.AddSeconds(1200), TimeSpan.FromSeconds(10));

        var claims = JsonWebToken.Decode(token, server.Services.GetRequiredService<ServiceAccountKeys>(), out _)!;
        claims["iss"]!.GetValue<string>().Should().Be(ServiceAccountTokens.Issuer);
        claims["sub"]!.GetValue<string>().Should().Be("system:serviceaccount:default:claims");
        claims["aud"]!.AsArray().Select(a => a!.GetValue<string>()).Should().Equal("vault");
        (claims["exp"]!.GetValue<long>() - claims["iat"]!.GetValue<long>()).Should().Be(1200);
        claims["nbf"]!.GetValue<long>().Should().Be(claims["iat"]!.GetValue<long>());
        claims["jti"]!.GetValue<string>().Should().NotBeEmpty();
        claims["kubernetes.io"]!["namespace"]!.GetValue<string>().Should().Be("default");
        claims["kubernetes.io"]!["serviceaccount"]!["uid"]!.GetValue<string>().Should().Be(sa["metadata"]!["uid"]!.GetValue<string>());
    }

    [Fact]
    public async Task TokenRequestValidatesAndNeedsTheServiceAccount()
    {
        var missing = await Client.PostAsync("/api/v1/namespaces/default/serviceaccounts/nobody/token",
            Body("""{"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","spec":{}}"""));
        missing.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await missing.ReadObjectAsync())["message"]!.GetValue<string>().Should().Be("serviceaccounts \"nobody\" not found");

        await CreateServiceAccountAsync("short");
        var tooShort = await Client.PostAsync("/api/v1/namespaces/default/serviceaccounts/short/token",
            Body("""{"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","spec":{"expirationSeconds":60}}"""));
        tooShort.StatusCode.Should().Be((HttpStatusCode)422);
        (await tooShort.ReadObjectAsync())["message"]!.GetValue<string>().Should().Contain("may not specify a duration less than 10 minutes");
    }

    [Fact]
    public async Task BearerTokenAuthenticatesAsTheServiceAccount()
    {
        await CreateServiceAccountAsync("robot");
        var token = (await RequestTokenAsync("robot"))["status"]!["token"]!.GetValue<string>();
        (await ListConfigMapsWithAsync(token)).Should().Be(HttpStatusCode.Forbidden, "authenticated, but no role grants it anything");

        using var client = server.CreateClient(withCertificate: false);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var whoami = await client.PostAsync("/apis/authentication.k8s.io/v1/selfsubjectreviews",
            Body("""{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}"""));
        var user = (await whoami.ReadObjectAsync())["status"]!["userInfo"]!;
        user["username"]!.GetValue<string>().Should().Be("system:serviceaccount:default:robot");
        user["groups"]!.AsArray().Select(g => g!.GetValue<string>()).Should()
            .Equal("system:serviceaccounts", "system:serviceaccounts:default", "system:authenticated");
    }

    [Fact]
    public async Task TamperedExpiredAndForeignAudienceTokensAre401()
    {
        var sa = await CreateServiceAccountAsync("tampered");
        var token = (await RequestTokenAsync("tampered"))["status"]!["token"]!.GetValue<string>();
        var parts = token.Split('.');
        var otherPayload = (await RequestTokenAsync("tampered", """{"expirationSeconds":7200}"""))["status"]!["token"]!.GetValue<string>().Split('.')[1];
        (await ListConfigMapsWithAsync($"{parts[0]}.{otherPayload}.{parts[2]}")).Should().Be(HttpStatusCode.Unauthorized);
        (await ListConfigMapsWithAsync("not-a-jwt")).Should().Be(HttpStatusCode.Unauthorized);

        var tokens = server.Services.GetRequiredService<ServiceAccountTokens>();
        var expired = tokens.Issue(sa, BoundObjects.None, [ServiceAccountTokens.Issuer], 600, DateTimeOffset.UtcNow.AddHours(-1));
        (await ListConfigMapsWithAsync(expired)).Should().Be(HttpStatusCode.Unauthorized);
        (await ReviewAsync(expired))["error"]!.GetValue<string>().Should().Be("service account token has expired");

        var vaultOnly = (await RequestTokenAsync("tampered", """{"audiences":["vault"]}"""))["status"]!["token"]!.GetValue<string>();
        (await ListConfigMapsWithAsync(vaultOnly)).Should().Be(HttpStatusCode.Unauthorized, "the API server only accepts its issuer as audience");
    }

    [Fact]
    public async Task TokenOfADeletedServiceAccountIsRejected()
    {
        await CreateServiceAccountAsync("ephemeral");
        var token = (await RequestTokenAsync("ephemeral"))["status"]!["token"]!.GetValue<string>();
        (await Client.DeleteAsync("/api/v1/namespaces/default/serviceaccounts/ephemeral")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await ListConfigMapsWithAsync(token)).Should().Be(HttpStatusCode.Unauthorized);

        await CreateServiceAccountAsync("ephemeral");
        (await ListConfigMapsWithAsync(token)).Should().Be(HttpStatusCode.Unauthorized, "the recreated service account has another uid");
        (await ReviewAsync(token))["error"]!.GetValue<string>().Should().StartWith("service account UID (");
    }

    [Fact]
    public async Task TokenReviewAnswersUserAndAudiences()
    {
        var sa = await CreateServiceAccountAsync("reviewed");
        var token = (await RequestTokenAsync("reviewed", """{"audiences":["vault","other"]}"""))["status"]!["token"]!.GetValue<string>();
        var status = await ReviewAsync(token, """["vault"]""");
        status["authenticated"]!.GetValue<bool>().Should().BeTrue();
        status["user"]!["username"]!.GetValue<string>().Should().Be("system:serviceaccount:default:reviewed");
        status["user"]!["uid"]!.GetValue<string>().Should().Be(sa["metadata"]!["uid"]!.GetValue<string>());
        status["user"]!["extra"]!["authentication.kubernetes.io/credential-id"]![0]!.GetValue<string>().Should().StartWith("JTI=");
        status["audiences"]!.AsArray().Select(a => a!.GetValue<string>()).Should().Equal("vault");

        var wrongAudience = await ReviewAsync(token);
        wrongAudience["authenticated"]!.GetValue<bool>().Should().BeFalse();
        wrongAudience["error"]!.GetValue<string>().Should().Contain("is invalid for the target audiences");
        (await ReviewAsync("garbage"))["authenticated"]!.GetValue<bool>().Should().BeFalse();
    }

    [Fact]
    public async Task PodBoundTokenDiesWithThePod()
    {
        await CreateServiceAccountAsync("podbound");
        var pod = """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"holder"},"spec":{"containers":[{"name":"c","image":"busybox"}]}}""";
        var created = await (await Client.PostAsync("/api/v1/namespaces/default/pods", Body(pod))).ReadObjectAsync();
        var uid = created["metadata"]!["uid"]!.GetValue<string>();
        var token = (await RequestTokenAsync("podbound", $$$"""{"boundObjectRef":{"kind":"Pod","apiVersion":"v1","name":"holder","uid":"{{{uid}}}"}}"""))["status"]!["token"]!.GetValue<string>();
        var status = await ReviewAsync(token);
        status["user"]!["extra"]!["authentication.kubernetes.io/pod-name"]![0]!.GetValue<string>().Should().Be("holder");
        status["user"]!["extra"]!["authentication.kubernetes.io/pod-uid"]![0]!.GetValue<string>().Should().Be(uid);

        (await Client.DeleteAsync("/api/v1/namespaces/default/pods/holder?gracePeriodSeconds=0")).IsSuccessStatusCode.Should().BeTrue();
        (await ListConfigMapsWithAsync(token)).Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task IssuerDiscoveryServesTheSigningKey()
    {
        using var anonymous = server.CreateClient(withCertificate: false);
        var configuration = JsonNode.Parse(await anonymous.GetStringAsync("/.well-known/openid-configuration"))!;
        configuration["issuer"]!.GetValue<string>().Should().Be(ServiceAccountTokens.Issuer);
        configuration["jwks_uri"]!.GetValue<string>().Should().Be(ServiceAccountTokens.Issuer + "/openid/v1/jwks");
        var key = JsonNode.Parse(await anonymous.GetStringAsync("/openid/v1/jwks"))!["keys"]![0]!;
        key["kty"]!.GetValue<string>().Should().Be("RSA");
        key["kid"]!.GetValue<string>().Should().Be(server.Services.GetRequiredService<ServiceAccountKeys>().KeyId);
    }
}

using K8sSharp.Streaming.Spdy;

namespace K8sSharp.Streaming.Tests;

public sealed class HeaderCompressionTests
{
    // Two consecutive header blocks of one SPDY/3 connection, compressed by zlib against the SPDY/3 dictionary with a
    // sync flush after each (Node.js zlib with { dictionary }, as Go's spdystream writes them). The second block
    // back-references the first, so it only decodes with the connection's shared context.
    private const string FirstBlock = "78bbe3c6a7c202253a703a2b294a4dcc851625aca9a0808614cb45e01c60616061c0c0c0c0590489c64c50f2663400000000ffff";
    private const string SecondBlock = "c2aa19540e2512d60b000000ffff";

    [Fact]
    public void Blocks_compressed_against_the_spdy_dictionary_decode_in_sequence()
    {
        using var decompressor = new HeaderDecompressor();

        var first = decompressor.Decompress(Convert.FromHexString(FirstBlock));
        var second = decompressor.Decompress(Convert.FromHexString(SecondBlock));

        first.Should().BeEquivalentTo(new Dictionary<string, string> { ["streamtype"] = "error", ["port"] = "8080", ["requestid"] = "0" });
        second.Should().BeEquivalentTo(new Dictionary<string, string> { ["streamtype"] = "data", ["port"] = "8080", ["requestid"] = "0" });
    }

    [Fact]
    public void The_second_block_alone_does_not_decode_without_the_shared_context()
    {
        using var decompressor = new HeaderDecompressor();

        var act = () => decompressor.Decompress(Convert.FromHexString(SecondBlock));

        act.Should().Throw<InvalidDataException>();
    }

    [Fact]
    public void What_the_compressor_writes_decodes_block_after_block()
    {
        using var compressor = new HeaderCompressor();
        using var decompressor = new HeaderDecompressor();
        var blocks = new[]
        {
            new Dictionary<string, string>(),
            new Dictionary<string, string> { ["X-Stream-Protocol-Version"] = "portforward.k8s.io" },
            new Dictionary<string, string> { ["streamtype"] = "data", ["port"] = "80" },
        };

        foreach (var headers in blocks)
        {
            decompressor.Decompress(compressor.Compress(headers)).Should().BeEquivalentTo(
                headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value));
        }
    }
}

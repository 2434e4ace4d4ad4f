using K8sSharp.ControllerManager.NodeIpam;

namespace K8sSharp.ControllerManager.Tests;

public sealed class CidrSetTests
{
    [Fact]
    public void Allocates_consecutive_node_subnets_of_the_cluster_cidr()
    {
        var set = new CidrSet("10.244.0.0/16", 24);

        set.Capacity.Should().Be(256);
        set.Allocate().Should().Be("10.244.0.0/24");
        set.Allocate().Should().Be("10.244.1.0/24");
    }

    [Fact]
    public void Occupied_subnets_are_skipped_and_outside_ones_refused()
    {
        var set = new CidrSet("10.244.0.0/16", 24);

        set.Occupy("10.244.0.0/24").Should().BeTrue();
        set.Occupy("10.244.2.0/23").Should().BeTrue("a wider block covers two subnets");
        set.Occupy("192.168.0.0/24").Should().BeFalse();

        set.Allocate().Should().Be("10.244.1.0/24");
        set.Allocate().Should().Be("10.244.4.0/24");
    }

    [Fact]
    public void Exhaustion_returns_null_and_a_release_makes_room()
    {
        var set = new CidrSet("10.0.0.0/30", 31);
        set.Allocate().Should().Be("10.0.0.0/31");
        set.Allocate().Should().Be("10.0.0.2/31");
        set.Allocate().Should().BeNull();

        set.Release("10.0.0.0/31").Should().BeTrue();

        set.Allocate().Should().Be("10.0.0.0/31");
    }

    [Theory]
    [InlineData("10.244.0.0/16", 15)]
    [InlineData("10.244.0.1/16", 24)]
    [InlineData("fd00::/64", 80)]
    public void Invalid_configurations_are_rejected(string cidr, int mask)
    {
        FluentActions.Invoking(() => new CidrSet(cidr, mask)).Should().Throw<ArgumentException>();
    }
}

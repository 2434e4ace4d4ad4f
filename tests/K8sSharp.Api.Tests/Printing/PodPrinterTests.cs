using System.Text.Json.Nodes;
using K8sSharp.Api.Printing;
using static K8sSharp.Api.Tests.Printing.PrinterTestSupport;

namespace K8sSharp.Api.Tests.Printing;

public class PodPrinterTests
{
    [Fact]
    public void ColumnsAreUpstreams()
    {
        var columns = TablePrinter.Columns("", "Pod");
        columns.Select(c => c.Name).Should().Equal(
            "Name", "Ready", "Status", "Restarts", "Age", "IP", "Node", "Nominated Node", "Readiness Gates");
        columns.Select(c => c.Priority).Should().Equal(0, 0, 0, 0, 0, 1, 1, 1, 1);
        columns[0].Format.Should().Be("name");
        columns[0].Description.Should().StartWith("Name must be unique within a namespace. Is required when creating resources");
        columns[3].Type.Should().Be("string");
        columns[4].Description.Should().StartWith("CreationTimestamp is a timestamp representing the server time");
        columns[5].Description.Should().Be("podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.");
    }

    [Fact]
    public void RunningPodWithOneRestart()
    {
        var pod = Parse("""
            {"metadata":{"name":"web-1","namespace":"default","creationTimestamp":"AGO:1500"},
             "spec":{"nodeName":"node-a","containers":[{"name":"web","image":"nginx:1.27"}]},
             "status":{"phase":"Running","podIP":"10.244.0.5","podIPs":[{"ip":"10.244.0.5"}],
               "conditions":[{"type":"Initialized","status":"True"},{"type":"Ready","status":"True"}],
               "containerStatuses":[{"name":"web","ready":true,"restartCount":1,
                 "state":{"running":{"startedAt":"AGO:300"}},
                 "lastState":{"terminated":{"exitCode":1,"reason":"Error","finishedAt":"AGO:300"}}}]}}
            """);
        Row("", "Pod", pod).Should().Equal(
            "web-1", "1/1", "Running", "1 (5m ago)", "25m", "10.244.0.5", "node-a", "<none>", "<none>");
    }

    [Fact]
    public void CompletedPod()
    {
        var pod = Parse("""
            {"metadata":{"name":"job-x","creationTimestamp":"AGO:11040"},
             "spec":{"nodeName":"node-a","containers":[{"name":"main","image":"busybox"}]},
             "status":{"phase":"Succeeded","podIPs":[{"ip":"10.244.0.7"}],
               "conditions":[{"type":"Ready","status":"False","reason":"PodCompleted"}],
               "containerStatuses":[{"name":"main","ready":false,"restartCount":0,
                 "state":{"terminated":{"exitCode":0,"reason":"Completed","finishedAt":"AGO:10800"}}}]}}
            """);
        Row("", "Pod", pod).Should().Equal(
            "job-x", "0/1", "Completed", "0", "3h4m", "10.244.0.7", "node-a", "<none>", "<none>");
    }

    [Fact]
    public void TerminatingPod()
    {
        var pod = Parse("""
            {"metadata":{"name":"web-2","creationTimestamp":"AGO:172800","deletionTimestamp":"AGO:8"},
             "spec":{"containers":[{"name":"web","image":"nginx"}]},
             "status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}],
               "containerStatuses":[{"name":"web","ready":true,"restartCount":0,"state":{"running":{}}}]}}
            """);
        Row("", "Pod", pod).Should().Equal(
            "web-2", "1/1", "Terminating", "0", "2d", "<none>", "<none>", "<none>", "<none>");
    }

    [Fact]
    public void CrashLoopBackOffPod()
    {
        var pod = Parse("""
            {"metadata":{"name":"bad","creationTimestamp":"AGO:570"},
             "spec":{"nodeName":"node-b","containers":[{"name":"app","image":"app:1"}]},
             "status":{"phase":"Running","podIPs":[{"ip":"fd00::5"}],
               "containerStatuses":[{"name":"app","ready":false,"restartCount":4,
                 "state":{"waiting":{"reason":"CrashLoopBackOff","message":"back-off 1m20s"}},
                 "lastState":{"terminated":{"exitCode":1,"reason":"Error","finishedAt":"AGO:60"}}}]}}
            """);
        Row("", "Pod", pod).Should().Equal(
            "bad", "0/1", "CrashLoopBackOff", "4 (60s ago)", "9m30s", "fd00::5", "node-b", "<none>", "<none>");
    }

    // (description, status JSON fragment, expected Ready, expected Status)
    [Theory]
    [InlineData("pending, creating", """{"phase":"Pending","containerStatuses":[{"name":"c","state":{"waiting":{"reason":"ContainerCreating"}}}]}""", "0/1", "ContainerCreating")]
    [InlineData("init progress", """{"phase":"Pending","initContainerStatuses":[{"name":"i1","state":{"terminated":{"exitCode":0}}},{"name":"i2","state":{"running":{}}}]}""", "0/1", "Init:1/2")]
    [InlineData("init waiting", """{"phase":"Pending","initContainerStatuses":[{"name":"i1","state":{"waiting":{"reason":"CrashLoopBackOff"}}}]}""", "0/1", "Init:CrashLoopBackOff")]
    [InlineData("init exit code", """{"phase":"Pending","initContainerStatuses":[{"name":"i1","state":{"terminated":{"exitCode":2}}}]}""", "0/1", "Init:ExitCode:2")]
    [InlineData("init signal", """{"phase":"Pending","initContainerStatuses":[{"name":"i1","state":{"terminated":{"exitCode":137,"signal":9}}}]}""", "0/1", "Init:Signal:9")]
    [InlineData("pod reason", """{"phase":"Failed","reason":"Evicted"}""", "0/1", "Evicted")]
    [InlineData("scheduling gated", """{"phase":"Pending","conditions":[{"type":"PodScheduled","status":"False","reason":"SchedulingGated"}]}""", "0/1", "SchedulingGated")]
    [InlineData("exit code without reason", """{"phase":"Running","containerStatuses":[{"name":"c","state":{"terminated":{"exitCode":3}}}]}""", "0/1", "ExitCode:3")]
    [InlineData("completed but one running, ready", """{"phase":"Running","conditions":[{"type":"Ready","status":"True"}],"containerStatuses":[{"name":"a","ready":true,"state":{"running":{}}},{"name":"b","state":{"terminated":{"exitCode":0,"reason":"Completed"}}}]}""", "1/1", "Running")]
    [InlineData("completed but one running, not ready", """{"phase":"Running","containerStatuses":[{"name":"a","ready":true,"state":{"running":{}}},{"name":"b","state":{"terminated":{"exitCode":0,"reason":"Completed"}}}]}""", "1/1", "NotReady")]
    public void StatusColumnFollowsUpstreamPrecedence(string description, string status, string ready, string expected)
    {
        var pod = Parse("""
            {"metadata":{"name":"p"},
             "spec":{"initContainers":[{"name":"i1"},{"name":"i2"}],"containers":[{"name":"c"}]},
             "status":STATUS}
            """.Replace("STATUS", status, StringComparison.Ordinal));
        var row = Row("", "Pod", pod);
        row[1].Should().Be(ready, description);
        row[2].Should().Be(expected, description);
    }

    [Fact]
    public void SidecarsCountTowardsReadyAndRestarts()
    {
        var pod = Parse("""
            {"metadata":{"name":"mesh"},
             "spec":{"initContainers":[{"name":"proxy","restartPolicy":"Always"}],"containers":[{"name":"app"}],
                     "readinessGates":[{"conditionType":"example.com/lb"}]},
             "status":{"phase":"Running",
               "conditions":[{"type":"Initialized","status":"True"},{"type":"example.com/lb","status":"True"}],
               "initContainerStatuses":[{"name":"proxy","started":true,"ready":true,"restartCount":2,"state":{"running":{}},
                 "lastState":{"terminated":{"exitCode":1,"finishedAt":"AGO:3600"}}}],
               "containerStatuses":[{"name":"app","ready":true,"restartCount":1,"state":{"running":{}},
                 "lastState":{"terminated":{"exitCode":1,"finishedAt":"AGO:120"}}}]}}
            """);
        var row = Row("", "Pod", pod);
        row[1].Should().Be("2/2");
        row[2].Should().Be("Running");
        row[3].Should().Be("3 (2m ago)");
        row[4].Should().Be("<unknown>");
        row[8].Should().Be("1/1");
    }

    [Fact]
    public void PodOnLostNodeIsUnknownWhileDeleting()
    {
        var pod = Parse("""
            {"metadata":{"name":"p","deletionTimestamp":"2025-06-01T11:00:00Z"},
             "spec":{"containers":[{"name":"c"}]},"status":{"phase":"Running","reason":"NodeLost"}}
            """);
        Row("", "Pod", pod)[2].Should().Be("Unknown");
    }

    [Fact]
    public void EmptyPodStillPrintsEveryCell()
    {
        Row("", "Pod", new JsonObject()).Should().Equal(
            "", "0/0", "", "0", "<unknown>", "<none>", "<none>", "<none>", "<none>");
    }
}

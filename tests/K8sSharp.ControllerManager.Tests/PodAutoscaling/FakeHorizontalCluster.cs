using k8s;
using k8s.Models;
using K8sSharp.Client.Cache;
using K8sSharp.ControllerManager.PodAutoscaling;
using K8sSharp.ControllerManager.Tests.Batch;
using Microsoft.Extensions.Time.Testing;

namespace K8sSharp.ControllerManager.Tests.PodAutoscaling;

/// <summary>
/// The API server and the metrics API at the HPA controller's process edge: HPAs and pods in preloaded indexers,
/// Deployment scales in a dictionary (a scale write changes spec.replicas, as the /scale subresource does), status
/// writes land back in the HPA indexer, and pod CPU/memory usage is whatever the test sets.
/// </summary>
internal sealed class FakeHorizontalCluster : IHorizontalWrites, IResourceMetricsClient
{
    public const string Ns = "ns";
    private int podSerial;

    public FakeHorizontalCluster(FakeTimeProvider time, HorizontalOptions? options = null)
    {
        Time = time;
        Controller = new HorizontalController(this, this, Events, options ?? new HorizontalOptions(), time, Logger);
        Controller.UseListers(new Lister<V2HorizontalPodAutoscaler>(Hpas), new Lister<V1Pod>(Pods));
    }

    public FakeTimeProvider Time { get; }

    public HorizontalController Controller { get; }

    public RecordingEvents Events { get; } = new();

    /// <summary>The controller's warnings: a sync that failed unexpectedly shows here.</summary>
    public RecordingLogger Logger { get; } = new();

    public Indexer<V2HorizontalPodAutoscaler> Hpas { get; } = new();

    public Indexer<V1Pod> Pods { get; } = new();

    /// <summary>Deployment name → (spec.replicas, status.selector).</summary>
    public Dictionary<string, (int Replicas, string Selector)> Scales { get; } = [];

    /// <summary>Every scale write, as "name=replicas".</summary>
    public List<string> ScaleWrites { get; } = [];

    public int StatusWrites { get; private set; }

    /// <summary>Pod name → resource → milli-units used; pods absent here have no metrics.</summary>
    public Dictionary<string, Dictionary<string, long>> Usage { get; } = [];

    public string? MetricsFailure { get; set; }

    public string? ScaleFailure { get; set; }

    public V2HorizontalPodAutoscaler Hpa(string name = "web") => Hpas.Get($"{Ns}/{name}")!;

    /// <summary>Reconciles the HPA; a sync that ends in an unexpected exception (logged, not thrown) fails the test.</summary>
    public async Task SyncAsync(string name = "web")
    {
        await Controller.ReconcileAsync($"{Ns}/{name}", CancellationToken.None);
        Logger.Warnings.Should().BeEmpty();
    }

    /// <summary>A Deployment target of <paramref name="replicas"/> selecting app=<paramref name="name"/>.</summary>
    public void AddDeployment(string name, int replicas) => Scales[name] = (replicas, $"app={name}");

    public V2HorizontalPodAutoscaler AddHpa(string target, int? min, int max, params V2MetricSpec[] metrics)
    {
        var hpa = new V2HorizontalPodAutoscaler
        {
            ApiVersion = "autoscaling/v2",
            Kind = "HorizontalPodAutoscaler",
            Metadata = new V1ObjectMeta { Name = target, NamespaceProperty = Ns, Uid = "uid-" + target, ResourceVersion = "1" },
            Spec = new V2HorizontalPodAutoscalerSpec
            {
                ScaleTargetRef = new V2CrossVersionObjectReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = target },
                MinReplicas = min,
                MaxReplicas = max,
                Metrics = metrics,
            },
        };
        Hpas.Upsert(hpa);
        return hpa;
    }

    public static V2MetricSpec Utilization(string resource, int percent) => new()
    {
        Type = "Resource",
        Resource = new V2ResourceMetricSource { Name = resource, Target = new V2MetricTarget { Type = "Utilization", AverageUtilization = percent } },
    };

    public static V2MetricSpec AverageValue(string resource, string quantity) => new()
    {
        Type = "Resource",
        Resource = new V2ResourceMetricSource { Name = resource, Target = new V2MetricTarget { Type = "AverageValue", AverageValue = new ResourceQuantity(quantity) } },
    };

    /// <summary>A Running, Ready pod of <paramref name="app"/> started long ago, requesting 100m CPU and 100Mi memory.</summary>
    public V1Pod AddPod(string app, long? cpuUsage, long? memoryUsage = null, bool requests = true, string phase = "Running")
    {
        var name = $"{app}-{++podSerial}";
        var started = Time.GetUtcNow().UtcDateTime.AddHours(-1);
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Ns, Labels = new Dictionary<string, string> { ["app"] = app } },
            Spec = new V1PodSpec
            {
                Containers = [new V1Container
                {
                    Name = "main",
                    Resources = requests
                        ? new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("100m"), ["memory"] = new("100Mi") } }
                        : null,
                }],
            },
            Status = new V1PodStatus
            {
                Phase = phase,
                StartTime = started,
                Conditions = [new V1PodCondition { Type = "Ready", Status = phase == "Running" ? "True" : "False", LastTransitionTime = started }],
            },
        };
        Pods.Upsert(pod);
        var usage = new Dictionary<string, long>();
        if (cpuUsage is { } cpu)
        {
            usage["cpu"] = cpu;
        }
        if (memoryUsage is { } memory)
        {
            usage["memory"] = memory;
        }
        if (usage.Count > 0)
        {
            Usage[name] = usage;
        }
        return pod;
    }

    public Task<V1Scale> GetScaleAsync(ScaleTarget target, CancellationToken cancellationToken)
    {
        if (!Scales.TryGetValue(target.Name, out var scale))
        {
            throw new InvalidOperationException($"deployments.apps \"{target.Name}\" not found");
        }
        return Task.FromResult(new V1Scale
        {
            Metadata = new V1ObjectMeta { Name = target.Name, NamespaceProperty = target.Namespace },
            Spec = new V1ScaleSpec { Replicas = scale.Replicas },
            Status = new V1ScaleStatus { Replicas = scale.Replicas, Selector = scale.Selector },
        });
    }

    public Task UpdateScaleAsync(ScaleTarget target, V1Scale scale, CancellationToken cancellationToken)
    {
        if (ScaleFailure is { } failure)
        {
            throw new InvalidOperationException(failure);
        }
        var replicas = scale.Spec.Replicas ?? 0;
        Scales[target.Name] = (replicas, Scales[target.Name].Selector);
        ScaleWrites.Add($"{target.Name}={replicas}");
        return Task.CompletedTask;
    }

    public Task UpdateStatusAsync(V2HorizontalPodAutoscaler hpa, CancellationToken cancellationToken)
    {
        StatusWrites++;
        var stored = KubernetesJson.Deserialize<V2HorizontalPodAutoscaler>(KubernetesJson.Serialize(hpa));
        stored.Metadata.ResourceVersion = (int.Parse(stored.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture) + 1)
            .ToString(System.Globalization.CultureInfo.InvariantCulture);
        Hpas.Upsert(stored);
        return Task.CompletedTask;
    }

    public Task<ResourceMetrics> GetResourceMetricAsync(string resource, string ns, string selector, CancellationToken cancellationToken)
    {
        if (MetricsFailure is { } failure)
        {
            throw new MetricsUnavailableException(failure);
        }
        var selected = LabelSelectors.Parse(selector);
        var now = Time.GetUtcNow();
        var pods = Pods.List()
            .Where(p => LabelSelectors.Matches(selected, p.Metadata.Labels) && Usage.TryGetValue(p.Metadata.Name, out var u) && u.ContainsKey(resource))
            .ToDictionary(p => p.Metadata.Name, p => new PodMetric(Usage[p.Metadata.Name][resource], now, TimeSpan.FromSeconds(15)));
        if (pods.Count == 0)
        {
            throw new MetricsUnavailableException("no metrics returned from resource metrics API");
        }
        return Task.FromResult(new ResourceMetrics(pods, now));
    }
}

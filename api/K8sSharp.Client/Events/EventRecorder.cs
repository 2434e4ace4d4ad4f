using System.Globalization;
using System.Net;
using System.Reflection;
using System.Threading.Channels;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace K8sSharp.Client.Events;

/// <summary>The two event types core/v1 defines.</summary>
public static class EventTypes
{
    public const string Normal = "Normal";
    public const string Warning = "Warning";
}

/// <summary>
/// Records core/v1 Events about objects (client-go's tools/record, without the spam filter). <see cref="Event"/>
/// never blocks and never throws: events are queued (at most 1000; more are dropped, as the broadcaster does) and
/// written by one background loop. A repeat of the same (object, type, reason, message) patches the earlier Event's
/// count and lastTimestamp instead of creating a new one; if that Event is gone, a new one is created.
/// </summary>
public sealed partial class EventRecorder : IEventRecorder, IAsyncDisposable
{
    private const int MaxAggregates = 4096;
    private readonly IKubernetes client;
    private readonly V1EventSource source;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly Channel<Corev1Event> pending = Channel.CreateBounded<Corev1Event>(
        new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly Dictionary<string, Corev1Event> written = new(StringComparer.Ordinal);
    private readonly Task loop;

    public EventRecorder(IKubernetes client, string component, string? host = null, TimeProvider? time = null, ILogger? logger = null)
    {
        this.client = client ?? throw new ArgumentNullException(nameof(client));
        ArgumentException.ThrowIfNullOrEmpty(component);
        source = new V1EventSource { Component = component, Host = host };
        this.time = time ?? TimeProvider.System;
        this.logger = logger ?? NullLogger.Instance;
        loop = Task.Run(WriteLoopAsync);
    }

    /// <summary>Queues an event about <paramref name="obj"/>; <paramref name="type"/> is Normal or Warning.</summary>
    public void Event(IKubernetesObject<V1ObjectMeta> obj, string type, string reason, string message) =>
        Event(obj, null, type, reason, message);

    /// <summary>
    /// Queues an event about a part of <paramref name="obj"/> named by <paramref name="fieldPath"/> (the
    /// involvedObject.fieldPath, e.g. the kubelet's <c>spec.containers{name}</c>), or the whole object when null.
    /// </summary>
    public void Event(IKubernetesObject<V1ObjectMeta> obj, string? fieldPath, string type, string reason, string message)
    {
        try
        {
            var now = time.GetUtcNow().UtcDateTime;
            // first/lastTimestamp are metav1.Time: RFC 3339 with whole seconds on the wire.
            var stamp = new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
            var reference = Reference(obj);
            reference.FieldPath = fieldPath;
            var ev = new Corev1Event
            {
                ApiVersion = "v1",
                Kind = "Event",
                Metadata = new V1ObjectMeta
                {
                    Name = $"{reference.Name}.{((now.Ticks - DateTime.UnixEpoch.Ticks) * 100).ToString("x", CultureInfo.InvariantCulture)}",
                    NamespaceProperty = string.IsNullOrEmpty(reference.NamespaceProperty) ? "default" : reference.NamespaceProperty,
                },
                InvolvedObject = reference,
                Type = type,
                Reason = reason,
                Message = message,
                Source = source,
                ReportingComponent = source.Component,
                ReportingInstance = source.Host ?? string.Empty,
                FirstTimestamp = stamp,
                LastTimestamp = stamp,
                Count = 1,
            };
            if (!pending.Writer.TryWrite(ev))
            {
                LogDropped(logger, reason, reference.Name);
            }
        }
        catch (Exception e)
        {
            LogFailed(logger, reason, e);
        }
    }

    /// <summary>Writes what is queued, then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        pending.Writer.TryComplete();
        await loop;
    }

    private async Task WriteLoopAsync()
    {
        await foreach (var ev in pending.Reader.ReadAllAsync())
        {
            try
            {
                await WriteAsync(ev);
            }
            catch (Exception e)
            {
                LogFailed(logger, ev.Reason, e);
            }
        }
    }

    private async Task WriteAsync(Corev1Event ev)
    {
        var key = AggregateKey(ev);
        if (written.TryGetValue(key, out var previous))
        {
            var count = (previous.Count ?? 1) + 1;
            var patch = new V1Patch($$"""{"count":{{count}},"lastTimestamp":"{{ev.LastTimestamp:yyyy-MM-ddTHH:mm:ssZ}}"}""", V1Patch.PatchType.MergePatch);
            try
            {
                written[key] = await client.CoreV1.PatchNamespacedEventAsync(patch, previous.Metadata.Name, previous.Metadata.NamespaceProperty);
                return;
            }
            catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
            {
                // The earlier Event expired or was deleted: start a new one.
            }
        }
        if (written.Count >= MaxAggregates)
        {
            written.Clear();
        }
        written[key] = await client.CoreV1.CreateNamespacedEventAsync(ev, ev.Metadata.NamespaceProperty);
    }

    private static string AggregateKey(Corev1Event ev)
    {
        var o = ev.InvolvedObject;
        return string.Join('\n', ev.Source?.Component, ev.Source?.Host, o.Kind, o.NamespaceProperty, o.Name, o.Uid, o.ApiVersion, o.FieldPath, ev.Type, ev.Reason, ev.Message);
    }

    /// <summary>An ObjectReference to <paramref name="obj"/>; kind and apiVersion come from the model type when the object omits them.</summary>
    public static V1ObjectReference Reference(IKubernetesObject<V1ObjectMeta> obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var entity = obj.GetType().GetCustomAttribute<KubernetesEntityAttribute>();
        var apiVersion = obj.ApiVersion;
        if (string.IsNullOrEmpty(apiVersion) && entity is not null)
        {
            apiVersion = string.IsNullOrEmpty(entity.Group) ? entity.ApiVersion : entity.Group + "/" + entity.ApiVersion;
        }
        return new V1ObjectReference
        {
            ApiVersion = apiVersion,
            Kind = string.IsNullOrEmpty(obj.Kind) ? entity?.Kind : obj.Kind,
            Name = obj.Metadata?.Name,
            NamespaceProperty = obj.Metadata?.NamespaceProperty,
            Uid = obj.Metadata?.Uid,
            ResourceVersion = obj.Metadata?.ResourceVersion,
        };
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "could not record event {Reason}")]
    private static partial void LogFailed(ILogger logger, string? reason, Exception exception);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "event queue full: dropped {Reason} about {Name}")]
    private static partial void LogDropped(ILogger logger, string reason, string name);
}

using Microsoft.Extensions.Logging;

namespace K8sSharp.ControllerManager.Tests.PodAutoscaling;

/// <summary>Keeps warnings and errors a controller logged, so tests can show (and assert on) swallowed failures.</summary>
internal sealed class RecordingLogger : ILogger
{
    public List<string> Warnings { get; } = [];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            Warnings.Add(formatter(state, exception) + (exception is null ? "" : " " + exception));
        }
    }
}

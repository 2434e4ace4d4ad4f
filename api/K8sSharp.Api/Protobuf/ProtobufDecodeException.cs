namespace K8sSharp.Api.Protobuf;

/// <summary>A protobuf request body could not be decoded; the message says what is wrong with it.</summary>
public sealed class ProtobufDecodeException : Exception
{
    public ProtobufDecodeException() { }

    public ProtobufDecodeException(string message) : base(message) { }

    public ProtobufDecodeException(string message, Exception innerException) : base(message, innerException) { }
}

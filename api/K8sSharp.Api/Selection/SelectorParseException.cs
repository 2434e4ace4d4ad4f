namespace K8sSharp.Api.Selection;

/// <summary>
/// A label or field selector could not be parsed or validated. <see cref="Exception.Message"/> carries the
/// text upstream apimachinery produces for the same input (e.g. <c>unable to parse requirement: ...</c>),
/// so the server can return it verbatim in a 400 Status.
/// </summary>
public sealed class SelectorParseException : FormatException
{
    public SelectorParseException()
    {
    }

    public SelectorParseException(string message)
        : base(message)
    {
    }

    public SelectorParseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

using System.Text;

namespace K8sSharp.Api.Selection;

internal enum LabelToken
{
    Error,
    EndOfString,
    ClosedPar,
    Comma,
    DoesNotExist,
    DoubleEquals,
    EqualsSign,
    GreaterThan,
    Identifier,
    In,
    LessThan,
    NotEquals,
    NotIn,
    OpenPar,
}

internal readonly record struct ScannedItem(LabelToken Token, string Literal);

/// <summary>
/// Tokenizer with the behaviour of upstream's label selector lexer: whitespace separates tokens, the
/// symbols <c>= ! ( ) , &gt; &lt;</c> form operators by longest known prefix, everything else is an
/// identifier unless it spells <c>in</c> or <c>notin</c>. A NUL character ends the input, as in Go.
/// </summary>
internal sealed class LabelSelectorLexer(string text)
{
    private static readonly Dictionary<string, LabelToken> Literals = new(StringComparer.Ordinal)
    {
        [")"] = LabelToken.ClosedPar,
        [","] = LabelToken.Comma,
        ["!"] = LabelToken.DoesNotExist,
        ["=="] = LabelToken.DoubleEquals,
        ["="] = LabelToken.EqualsSign,
        [">"] = LabelToken.GreaterThan,
        ["in"] = LabelToken.In,
        ["<"] = LabelToken.LessThan,
        ["!="] = LabelToken.NotEquals,
        ["notin"] = LabelToken.NotIn,
        ["("] = LabelToken.OpenPar,
    };

    private int _pos;

    /// <summary>All tokens of the input, ending with <see cref="LabelToken.EndOfString"/>.</summary>
    public List<ScannedItem> ScanAll()
    {
        var items = new List<ScannedItem>();
        ScannedItem item;
        do
        {
            item = Lex();
            items.Add(item);
        }
        while (item.Token != LabelToken.EndOfString);
        return items;
    }

    private ScannedItem Lex()
    {
        var ch = Read();
        while (IsWhitespace(ch))
        {
            ch = Read();
        }
        if (ch == '\0')
        {
            return new ScannedItem(LabelToken.EndOfString, "");
        }
        _pos--;
        return IsSpecialSymbol(ch) ? ScanSpecialSymbol() : ScanIdentifierOrKeyword();
    }

    private ScannedItem ScanIdentifierOrKeyword()
    {
        var sb = new StringBuilder();
        while (true)
        {
            var ch = Read();
            if (ch == '\0')
            {
                break;
            }
            if (IsSpecialSymbol(ch) || IsWhitespace(ch))
            {
                _pos--;
                break;
            }
            sb.Append(ch);
        }
        var literal = sb.ToString();
        return Literals.TryGetValue(literal, out var token)
            ? new ScannedItem(token, literal)
            : new ScannedItem(LabelToken.Identifier, literal);
    }

    // Grows the operator while the buffer still spells a known token; one character too far is pushed back.
    private ScannedItem ScanSpecialSymbol()
    {
        var buffer = new StringBuilder();
        ScannedItem? last = null;
        while (true)
        {
            var ch = Read();
            if (ch == '\0')
            {
                break;
            }
            if (!IsSpecialSymbol(ch))
            {
                _pos--;
                break;
            }
            buffer.Append(ch);
            if (Literals.TryGetValue(buffer.ToString(), out var token))
            {
                last = new ScannedItem(token, buffer.ToString());
            }
            else if (last is not null)
            {
                _pos--;
                break;
            }
        }
        return last ?? new ScannedItem(LabelToken.Error, $"error expected: keyword found '{buffer}'");
    }

    private char Read() => _pos < text.Length ? text[_pos++] : '\0';

    private static bool IsWhitespace(char ch) => ch is ' ' or '\t' or '\r' or '\n';

    private static bool IsSpecialSymbol(char ch) => ch is '=' or '!' or '(' or ')' or ',' or '>' or '<';
}

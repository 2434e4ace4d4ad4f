namespace K8sSharp.Api.Selection;

/// <summary>
/// Recursive-descent parser for the label selector grammar of k8s.io/apimachinery/pkg/labels:
/// <code>
///   selector    ::= requirement | requirement "," selector
///   requirement ::= ["!"] KEY [ ("in"|"notin") "(" VALUES ")" | ("="|"=="|"!="|"&gt;"|"&lt;") VALUE ]
/// </code>
/// Error texts match upstream so clients see the same 400 messages. <c>in</c>/<c>notin</c> are keywords
/// only where an operator is expected; elsewhere they are ordinary identifiers (<c>in in (in)</c> parses).
/// </summary>
internal sealed class LabelSelectorParser
{
    private const string BinaryOperators = "in, notin, =, ==, !=, gt, lt";

    private readonly List<ScannedItem> _items;
    private int _position;

    public LabelSelectorParser(string text)
    {
        _items = new LabelSelectorLexer(text).ScanAll();
    }

    /// <summary>The requirements in input order; the caller sorts them.</summary>
    public List<LabelRequirement> Parse()
    {
        var requirements = new List<LabelRequirement>();
        while (true)
        {
            var (token, literal) = Lookahead(valuesContext: true);
            if (token == LabelToken.EndOfString)
            {
                return requirements;
            }
            if (token is not (LabelToken.Identifier or LabelToken.DoesNotExist))
            {
                throw Fail($"found '{literal}', expected: !, identifier, or 'end of string'");
            }
            requirements.Add(ParseRequirementWithContext());
            var (next, nextLiteral) = Consume(valuesContext: true);
            if (next == LabelToken.EndOfString)
            {
                return requirements;
            }
            if (next != LabelToken.Comma)
            {
                throw Fail($"found '{nextLiteral}', expected: ',' or 'end of string'");
            }
            var (afterComma, afterCommaLiteral) = Lookahead(valuesContext: true);
            if (afterComma is not (LabelToken.Identifier or LabelToken.DoesNotExist))
            {
                throw Fail($"found '{afterCommaLiteral}', expected: identifier after ','");
            }
        }
    }

    // Every error raised while reading one requirement is reported under upstream's common prefix.
    private LabelRequirement ParseRequirementWithContext()
    {
        try
        {
            return ParseRequirement();
        }
        catch (SelectorParseException e)
        {
            throw Fail("unable to parse requirement: " + e.Message);
        }
    }

    private LabelRequirement ParseRequirement()
    {
        var (key, op) = ParseKeyAndInferOperator();
        if (op is LabelOperator.Exists or LabelOperator.DoesNotExist)
        {
            return LabelRequirement.Create(key, op.Value, []);
        }
        var binary = ParseOperator();
        var values = binary is LabelOperator.In or LabelOperator.NotIn ? ParseValues() : ParseExactValue();
        return LabelRequirement.Create(key, binary, values.Order(StringComparer.Ordinal).ToList());
    }

    private (string Key, LabelOperator? Operator) ParseKeyAndInferOperator()
    {
        LabelOperator? op = null;
        var (token, literal) = Consume(valuesContext: true);
        if (token == LabelToken.DoesNotExist)
        {
            op = LabelOperator.DoesNotExist;
            (token, literal) = Consume(valuesContext: true);
        }
        if (token != LabelToken.Identifier)
        {
            throw Fail($"found '{literal}', expected: identifier");
        }
        var keyErrors = LabelValidation.LabelKeyErrors(literal);
        if (keyErrors.Count > 0)
        {
            throw Fail(LabelValidation.InvalidValue(null, LabelValidation.GoQuote(literal), string.Join("; ", keyErrors)));
        }
        var (next, _) = Lookahead(valuesContext: true);
        if (next is LabelToken.EndOfString or LabelToken.Comma && op is null)
        {
            op = LabelOperator.Exists;
        }
        return (literal, op);
    }

    private LabelOperator ParseOperator()
    {
        var (token, literal) = Consume(valuesContext: false);
        return token switch
        {
            LabelToken.In => LabelOperator.In,
            LabelToken.EqualsSign => LabelOperator.Equals,
            LabelToken.DoubleEquals => LabelOperator.DoubleEquals,
            LabelToken.GreaterThan => LabelOperator.GreaterThan,
            LabelToken.LessThan => LabelOperator.LessThan,
            LabelToken.NotIn => LabelOperator.NotIn,
            LabelToken.NotEquals => LabelOperator.NotEquals,
            _ => throw Fail($"found '{literal}', expected: {BinaryOperators}"),
        };
    }

    // "(a,b)", "()", "(,a)" and "(a,,b)": empty entries stand for the empty value; duplicates collapse.
    private HashSet<string> ParseValues()
    {
        var (token, literal) = Consume(valuesContext: true);
        if (token != LabelToken.OpenPar)
        {
            throw Fail($"found '{literal}' expected: '('");
        }
        (token, literal) = Lookahead(valuesContext: true);
        switch (token)
        {
            case LabelToken.Identifier or LabelToken.Comma:
                var values = ParseIdentifierList();
                Consume(valuesContext: true); // the ')' the list ended on
                return values;
            case LabelToken.ClosedPar:
                Consume(valuesContext: true);
                return new HashSet<string>(StringComparer.Ordinal) { "" };
            default:
                throw Fail($"found '{literal}', expected: ',', ')' or identifier");
        }
    }

    private HashSet<string> ParseIdentifierList()
    {
        var values = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var (token, literal) = Consume(valuesContext: true);
            if (token == LabelToken.Identifier)
            {
                values.Add(literal);
                var (next, nextLiteral) = Lookahead(valuesContext: true);
                if (next == LabelToken.ClosedPar)
                {
                    return values;
                }
                if (next != LabelToken.Comma)
                {
                    throw Fail($"found '{nextLiteral}', expected: ',' or ')'");
                }
                continue;
            }
            if (token != LabelToken.Comma)
            {
                throw Fail($"found '{literal}', expected: ',', or identifier");
            }
            var (afterComma, _) = Lookahead(valuesContext: true);
            if (values.Count == 0 || afterComma is LabelToken.ClosedPar or LabelToken.Comma)
            {
                values.Add("");
            }
            if (afterComma == LabelToken.ClosedPar)
            {
                return values;
            }
        }
    }

    private HashSet<string> ParseExactValue()
    {
        var (next, _) = Lookahead(valuesContext: true);
        if (next is LabelToken.EndOfString or LabelToken.Comma)
        {
            return new HashSet<string>(StringComparer.Ordinal) { "" };
        }
        var (token, literal) = Consume(valuesContext: true);
        if (token == LabelToken.Identifier)
        {
            return new HashSet<string>(StringComparer.Ordinal) { literal };
        }
        throw Fail($"found '{literal}', expected: identifier");
    }

    private ScannedItem Lookahead(bool valuesContext) => InContext(_items[_position], valuesContext);

    private ScannedItem Consume(bool valuesContext) => InContext(_items[_position++], valuesContext);

    // Where values are expected the keywords in/notin are plain identifiers.
    private static ScannedItem InContext(ScannedItem item, bool valuesContext) =>
        valuesContext && item.Token is LabelToken.In or LabelToken.NotIn
            ? item with { Token = LabelToken.Identifier }
            : item;

    private static SelectorParseException Fail(string message) => new(message);
}

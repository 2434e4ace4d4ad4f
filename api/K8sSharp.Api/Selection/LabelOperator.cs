namespace K8sSharp.Api.Selection;

/// <summary>The operators of k8s.io/apimachinery/pkg/selection usable in label requirements.</summary>
public enum LabelOperator
{
    /// <summary><c>key=value</c>.</summary>
    Equals,

    /// <summary><c>key==value</c>; same meaning as <see cref="Equals"/>, kept for round-tripping.</summary>
    DoubleEquals,

    /// <summary><c>key!=value</c>; also matches objects without the key.</summary>
    NotEquals,

    /// <summary><c>key in (a,b)</c>.</summary>
    In,

    /// <summary><c>key notin (a,b)</c>; also matches objects without the key.</summary>
    NotIn,

    /// <summary><c>key</c>.</summary>
    Exists,

    /// <summary><c>!key</c>.</summary>
    DoesNotExist,

    /// <summary><c>key&gt;n</c>: the label value parses as an integer greater than n.</summary>
    GreaterThan,

    /// <summary><c>key&lt;n</c>: the label value parses as an integer less than n.</summary>
    LessThan,
}

namespace PickleGuard.Analysis.Semantic;

/// <summary>What kind of statement or node binds a name. A byte: with <see cref="Binding.Augments"/> and the offset it fills one
/// 8-byte slot of a <see cref="Binding"/> (an int kind made every binding 8 bytes larger).</summary>
public enum BindingKind : byte
{
    /// <summary><c>import a.b</c> or <c>import a.b as c</c>.</summary>
    Import,
    /// <summary><c>from m import n as a</c>, absolute or relative.</summary>
    ImportFrom,
    /// <summary><c>x = v</c>, <c>x: T = v</c>, <c>x += v</c>, <c>(x := v)</c>.</summary>
    Assignment,
    /// <summary>A name inside a tuple/list target whose value could not be paired with an element.</summary>
    Unpacked,
    Parameter,
    FunctionDef,
    ClassDef,
    ForTarget,
    WithTarget,
    ExceptTarget,
    ComprehensionTarget,
    /// <summary>Match captures, <c>del</c> and other bindings without a usable value.</summary>
    Other,
}

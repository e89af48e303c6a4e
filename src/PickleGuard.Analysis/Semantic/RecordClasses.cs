using PickleGuard.Python;

namespace PickleGuard.Analysis.Semantic;

/// <summary>
/// Classes whose <c>__init__</c> is generated from their annotated fields: <c>@dataclass</c> (also
/// <c>@dataclasses.dataclass(...)</c>, pydantic's), attrs (<c>@attr.s</c>, <c>@attrs.define</c>, <c>@define</c>,
/// <c>@frozen</c>, <c>@mutable</c>) and <c>typing.NamedTuple</c> subclasses. <c>Job(request.data)</c> stores the
/// argument into the field <c>payload</c> as a written <c>__init__</c> would (Taint/FunctionAnalyzer.Calls.cs), and a
/// field's default in the class body (<c>body: bytes = b""</c>) is no proof of what an instance holds (step 2).
/// Known by syntax: the decorator's or base's last name.
/// </summary>
internal static class RecordClasses
{
    private static readonly HashSet<string> Decorators = new(StringComparer.Ordinal) { "dataclass", "define", "frozen", "mutable" };

    private static readonly HashSet<string> AttrsClassic = new(StringComparer.Ordinal) { "s", "attrs" };

    /// <summary>The fields this class declares for the generated <c>__init__</c>, in order (empty: not such a class, or no fields).</summary>
    internal static IReadOnlyList<string> FieldsOf(ClassInfo cls)
    {
        if (!IsRecord(cls.Node))
        {
            return [];
        }
        var fields = new List<string>();
        foreach (var statement in cls.Node.Body)
        {
            if (statement is AnnAssignStmt { Target: NameExpr name } field && !IsClassVariable(field.Annotation) && !OutsideInit(field.Value))
            {
                fields.Add(name.Id);
            }
        }
        return fields;
    }

    /// <summary>
    /// The parameters of the generated <c>__init__</c> of the first class of <paramref name="classAndBases"/> (a class
    /// and its project bases, <c>ValueResolver.ClassAndBases</c>), in order: the fields of its record bases first, as
    /// dataclasses collects them, each with the class that declares it first — a field a subclass declares again keeps
    /// its place and that class's fact, which the methods of every class in the chain read. Empty when no class in
    /// the chain is a record: a subclass that is no record itself still takes its record base's fields.
    /// </summary>
    internal static IReadOnlyList<(ClassInfo Owner, string Field)> InitFields(ClassInfo[] classAndBases)
    {
        var fields = new List<(ClassInfo Owner, string Field)>();
        for (var i = classAndBases.Length - 1; i >= 0; i--)
        {
            foreach (var field in classAndBases[i].RecordFields)
            {
                if (!fields.Exists(f => f.Field == field))
                {
                    fields.Add((classAndBases[i], field));
                }
            }
        }
        return fields;
    }

    /// <summary>
    /// Whether <paramref name="binding"/> is the declaration of one of the fields of <paramref name="cls"/> in its body
    /// (<c>body: bytes = b""</c>): the generated <c>__init__</c> stores every field on the instance, so the class-level
    /// default is never what an instance's attribute reads.
    /// </summary>
    internal static bool IsFieldDeclaration(ClassInfo cls, Binding binding)
    {
        if (!cls.RecordFields.Contains(binding.Name))
        {
            return false;
        }
        foreach (var statement in cls.Node.Body)
        {
            if (statement is AnnAssignStmt { Target: NameExpr target } && ReferenceEquals(target, binding.Node))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Whether every decorator of <paramref name="node"/> is one that makes it a record class (and it has one).</summary>
    internal static bool HasOnlyRecordDecorators(ClassDefStmt node) =>
        node.DecoratorList.Count > 0 && node.DecoratorList.All(IsRecordDecorator);

    /// <summary>
    /// Hooks the generated <c>__init__</c> calls on the new object (dataclasses' <c>__post_init__</c>, attrs'
    /// <c>__attrs_pre_init__</c>/<c>__attrs_post_init__</c>): code that runs at construction with no call to show it.
    /// </summary>
    internal static bool HasInitHooks(ClassDefStmt node) =>
        node.Body.Any(statement => statement is FunctionDefStmt { Name: "__post_init__" or "__attrs_pre_init__" or "__attrs_post_init__" });

    private static bool IsRecord(ClassDefStmt node) =>
        node.DecoratorList.Any(IsRecordDecorator) || node.Bases.Any(b => LastName(b) == "NamedTuple");

    private static bool IsRecordDecorator(Expr decorator) =>
        LastName(decorator is CallExpr call ? call.Func : decorator) is { } name
        && (Decorators.Contains(name) || AttrsClassic.Contains(name) && decorator is AttributeExpr or CallExpr { Func: AttributeExpr });

    /// <summary>
    /// <c>ClassVar[...]</c> and <c>InitVar[...]</c> annotations name no stored field, and <c>_: KW_ONLY</c> only marks
    /// the fields after it as keyword-only.
    /// </summary>
    private static bool IsClassVariable(Expr annotation) =>
        LastName(annotation is SubscriptExpr subscript ? subscript.Value : annotation) is "ClassVar" or "InitVar" or "KW_ONLY";

    /// <summary><c>field(init=False)</c> (dataclasses, attrs' <c>attr.ib</c>/<c>field</c>): no parameter of the generated <c>__init__</c>.</summary>
    private static bool OutsideInit(Expr? value) =>
        value is CallExpr { Func: var func } call && LastName(func) is "field" or "ib" or "attrib"
        && call.Keywords.Any(k => k.Arg == "init" && k.Value is ConstantExpr { Value.Type: ConstantType.False });

    private static string? LastName(Expr expr) => expr switch
    {
        NameExpr name => name.Id,
        AttributeExpr attribute => attribute.Attr,
        _ => null,
    };
}

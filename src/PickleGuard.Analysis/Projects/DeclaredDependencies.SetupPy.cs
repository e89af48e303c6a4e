using PickleGuard.Python;

namespace PickleGuard.Analysis.Projects;

public sealed partial class DeclaredDependencies
{
    /// <summary>
    /// The main dependencies of a <c>setup.py</c>, read from its syntax tree (it is never run): the <c>install_requires</c>
    /// keyword of each <c>setup(...)</c> call (<c>setuptools.setup</c>, <c>distutils.core.setup</c>), when it is a list or
    /// tuple display of string literals, or a module variable bound once to one and never changed
    /// (<c>REQUIRED = ["torch&gt;=2.6"]</c>, then <c>setup(install_requires=REQUIRED)</c>). <c>extras_require</c> does not
    /// count: a pin in an extra holds only where the user installed that extra. A list built by code or read from a
    /// file, or a display with an element that is no literal, declares nothing (an element not seen could allow an
    /// older release), nor does a file that does not parse.
    /// </summary>
    internal static IEnumerable<(string Package, string Specifiers)> SetupPyRequirements(string text)
    {
        var parsed = PythonParser.Parse(text, "setup.py");
        if (parsed.HasSyntaxErrors)
        {
            return [];
        }
        var file = new SetupFile();
        file.Walk(parsed.Module);
        var requirements = new List<(string, string)>();
        foreach (var call in file.SetupCalls)
        {
            var given = call.Keywords.FirstOrDefault(k => k.Arg == "install_requires")?.Value;
            if (given is NameExpr { Id: var name } && file.OnlyBinding(parsed.Module, name) is { } bound)
            {
                given = bound;
            }
            if (given is ListExpr or TupleExpr && Literals(given) is { } strings)
            {
                requirements.AddRange(strings.Where(s => !s.Contains("://", StringComparison.Ordinal))
                    .Select(Requirement).OfType<(string, string)>());
            }
        }
        return requirements;
    }

    private static List<string>? Literals(Expr display)
    {
        var elements = display is ListExpr list ? list.Elts : ((TupleExpr)display).Elts;
        var strings = new List<string>(elements.Count);
        foreach (var element in elements)
        {
            if (element is not ConstantExpr { Value.Type: ConstantType.Str } literal)
            {
                return null;
            }
            strings.Add(literal.Value.AsString!);
        }
        return strings;
    }

    /// <summary>The <c>setup(...)</c> calls of a setup.py, and how each name is bound and used.</summary>
    private sealed class SetupFile : AstWalker
    {
        private readonly Dictionary<string, int> _stores = new(StringComparer.Ordinal);
        private readonly HashSet<string> _changed = new(StringComparer.Ordinal);

        public List<CallExpr> SetupCalls { get; } = [];

        /// <summary>The value of <c>name = value</c> at the module's top level when that is the name's only binding and nothing changes it in place (<c>name.append(...)</c>, <c>name[i] = ...</c>).</summary>
        public Expr? OnlyBinding(ModuleNode module, string name) =>
            _stores.GetValueOrDefault(name) == 1 && !_changed.Contains(name)
                ? module.Body.OfType<AssignStmt>().FirstOrDefault(a => a.Targets is [NameExpr target] && target.Id == name)?.Value
                : null;

        public override void VisitCallExpr(CallExpr node)
        {
            if (node.Func is NameExpr { Id: "setup" } or AttributeExpr { Attr: "setup", Value: NameExpr { Id: "setuptools" } or AttributeExpr { Attr: "core", Value: NameExpr { Id: "distutils" } } })
            {
                SetupCalls.Add(node);
            }
            base.VisitCallExpr(node);
        }

        public override void VisitNameExpr(NameExpr node)
        {
            if (node.Ctx != ExprContext.Load)
            {
                _stores[node.Id] = _stores.GetValueOrDefault(node.Id) + 1;
            }
        }

        public override void VisitAttributeExpr(AttributeExpr node)
        {
            NoteOwner(node.Value);
            base.VisitAttributeExpr(node);
        }

        public override void VisitSubscriptExpr(SubscriptExpr node)
        {
            if (node.Ctx != ExprContext.Load)
            {
                NoteOwner(node.Value);
            }
            base.VisitSubscriptExpr(node);
        }

        private void NoteOwner(Expr owner)
        {
            if (owner is NameExpr { Id: var id })
            {
                _changed.Add(id); // `REQUIRED.append(...)`, `REQUIRED[0] = ...`: the list may hold more than its display
            }
        }
    }
}

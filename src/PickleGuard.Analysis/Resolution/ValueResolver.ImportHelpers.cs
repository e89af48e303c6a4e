using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Resolution;

/// <summary>
/// Plain project functions that import the module a caller names and return it: prefect's <c>from_qualified_name</c>,
/// flytekit's <c>lazy_module</c>, MONAI's <c>optional_import(module, name="")</c> (a tuple of the module, or its
/// attribute <c>name</c>, and a flag). Each call gets what its own arguments name, not every module the project's calls
/// name: MONAI's <c>nib, _ = optional_import("nibabel")</c> was also <c>yaml</c>, and <c>nib.load</c> a <c>yaml.load</c>.
/// </summary>
public sealed partial class ValueResolver
{
    /// <summary>What an importing helper's return may give, by whether the call names an attribute.</summary>
    [Flags]
    private enum ImportedForms
    {
        /// <summary>The module, when the call names no attribute (or the helper takes none).</summary>
        ModuleUnnamed = 1,

        /// <summary>The module, when the call names an attribute (a <c>getattr</c> that may be skipped).</summary>
        ModuleNamed = 2,

        /// <summary>The module's attribute the call names.</summary>
        Attribute = 4,

        Module = ModuleUnnamed | ModuleNamed,
    }

    /// <summary>
    /// A returned item that holds the module the helper's parameter <see cref="Module"/> names, or that module's
    /// attribute its parameter <see cref="Attribute"/> names, in the <see cref="Forms"/> given.
    /// </summary>
    private readonly record struct ImportedItem(string Module, string? Attribute, ImportedForms Forms)
    {
        /// <summary>What either item may hold, when both import by the same parameters; else null.</summary>
        public ImportedItem? Or(ImportedItem other) =>
            other.Module != Module || Attribute is not null && other.Attribute is not null && other.Attribute != Attribute
                ? null
                : new ImportedItem(Module, Attribute ?? other.Attribute, Forms | other.Forms);
    }

    /// <summary>The imported item of a helper's returns, and its other returns' items.</summary>
    private sealed record ImportingReturns(ImportedItem Imported, List<(Expr Value, BlockPath Blocks)> Others);

    /// <summary>
    /// <c>json = from_qualified_name(self.jsonlib)</c>, <c>nib, _ = optional_import("nibabel")</c> where the plain
    /// function <paramref name="helper"/> returns the module a parameter names (<see cref="ImportingReturnsOf"/>): the
    /// modules (or their attribute) this call's own arguments name, with what the helper's other returns give (flytekit's
    /// <c>lazy_module</c> returns a placeholder object when the module is missing), less what stands for a failed import
    /// (<see cref="StandsForFailedImport"/>). An argument that names no constant imports nothing known: not the modules
    /// other calls name. <paramref name="element"/> is the item of a returned tuple the call's result is unpacked into,
    /// or -1 for the whole result. Null when the helper is no such function.
    /// </summary>
    private IReadOnlyList<SymbolicValue>? ModulesImportedAt(FunctionInfo helper, CallExpr call, EvalContext context, int element)
    {
        if (helper.Owner is not null || helper.Returns.Length == 0 || ImportingReturnsOf(helper, element) is not { } returns)
        {
            return null;
        }
        var values = new ValueSet();
        var imported = returns.Imported;
        if (ArgumentStrings(helper, call, context, imported.Module) is { } moduleNames)
        {
            var modules = new ValueSet();
            AddImportedModules(ref modules, moduleNames.Where(name => name.Length > 0));
            var attributes = imported.Attribute is null ? [""] : ArgumentStrings(helper, call, context, imported.Attribute) ?? [];
            foreach (var attribute in attributes)
            {
                // `getattr(module, "")` raises, and `if name:` skips it: a call naming nothing gets the module.
                if (imported.Forms.HasFlag(attribute.Length == 0 ? ImportedForms.ModuleUnnamed : ImportedForms.ModuleNamed))
                {
                    values.Add(modules.Result);
                }
                if (attribute.Length > 0 && imported.Forms.HasFlag(ImportedForms.Attribute))
                {
                    foreach (var module in modules.Result)
                    {
                        values.Add(Member(module, attribute));
                    }
                }
            }
        }
        foreach (var (value, blocks) in returns.Others)
        {
            foreach (var other in Resolve(value, new EvalContext(helper.Scope, value.Span.Start, blocks)))
            {
                if (!StandsForFailedImport(helper, other))
                {
                    values.Add(other);
                }
            }
        }
        return values.Result;
    }

    /// <summary>
    /// The strings a call gives <paramref name="helper"/>'s <paramref name="parameter"/>: the string constants its
    /// argument resolves to, or the parameter's literal default when the call leaves it out; "" for None. Null when
    /// none is known.
    /// </summary>
    private List<string>? ArgumentStrings(FunctionInfo helper, CallExpr call, EvalContext context, string parameter)
    {
        var (kind, argument) = Detection.ArgumentFinder.Find(call, PlainParameter(helper, parameter));
        IReadOnlyList<SymbolicValue> values = kind switch
        {
            Detection.ArgumentKind.Found => Resolve(argument!, context),
            Detection.ArgumentKind.Missing when helper.Scope.BindingsOf(parameter) is [{ Default: ConstantExpr literal }] => [new ConstantSymbol(literal)],
            _ => [],
        };
        var strings = new List<string>();
        foreach (var value in values)
        {
            if (value is ConstantSymbol { Constant.Value: var constant } && constant.Type is ConstantType.Str or ConstantType.None)
            {
                strings.Add(constant.AsString ?? "");
            }
        }
        return strings.Count > 0 ? strings : null;
    }

    /// <summary>
    /// What an importing helper returns when the import fails, with which no call of it decodes anything: None, or a
    /// class the helper defines for it (MONAI's <c>_LazyRaise</c>, raising on any use) and its instances. Left out, so
    /// <c>class Loader(SafeLoader)</c> with <c>SafeLoader, _ = optional_import("yaml", name="SafeLoader")</c> has one
    /// base: <c>yaml.SafeLoader</c>.
    /// </summary>
    private static bool StandsForFailedImport(FunctionInfo helper, SymbolicValue value) => value switch
    {
        ConstantSymbol { Constant.Value.Type: ConstantType.None } => true,
        ClassValue made => DefinedIn(made.Class, helper.Scope),
        InstanceValue made => DefinedIn(made.Class, helper.Scope),
        _ => false,
    };

    private static bool DefinedIn(ClassInfo cls, Scope scope)
    {
        for (var defining = cls.DefiningScope; defining is not null; defining = defining.Parent)
        {
            if (defining == scope)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// The item <paramref name="element"/> of <paramref name="helper"/>'s returns (-1: the whole return) as an imported
    /// module (<see cref="ImportedBy"/>), with the other returns' items; null when no return is such a module, two
    /// import by different parameters, or a return cannot be unpacked. A return of the module after <c>if name:
    /// return getattr(module, name)</c> gives it only to calls naming no attribute. Kept per function and element
    /// (every call of a plain function asks), unless a resolution ran out of its budget meanwhile.
    /// </summary>
    private ImportingReturns? ImportingReturnsOf(FunctionInfo helper, int element)
    {
        if (_importingReturns.TryGetValue((helper, element), out var known))
        {
            return known;
        }
        ImportedItem? imported = null;
        var found = new List<(ImportedItem Item, Expr Returned)>();
        var others = new List<(Expr Value, BlockPath Blocks)>();
        var consistent = true;
        foreach (var (value, blocks) in helper.Returns)
        {
            if (value is null)
            {
                continue; // None
            }
            if (!ReturnedAt(value, element, out var items))
            {
                consistent = false;
                break;
            }
            foreach (var item in items)
            {
                if (ImportedBy(helper, item, new EvalContext(helper.Scope, item.Span.Start, blocks), 0) is not { } module)
                {
                    others.Add((item, blocks));
                    continue;
                }
                found.Add((module, value));
                imported = imported is { } first ? first.Or(module) : module;
                consistent &= imported is not null;
            }
        }
        if (consistent && imported is { Attribute: { } named, Forms: var forms } && forms.HasFlag(ImportedForms.ModuleNamed))
        {
            imported = imported.Value with
            {
                Forms = found.Aggregate((ImportedForms)0, (all, next) =>
                    all | (ReturnedAfterIfNamed(helper, next.Returned, named) ? next.Item.Forms & ~ImportedForms.ModuleNamed : next.Item.Forms)),
            };
        }
        var result = consistent && imported is { } both ? new ImportingReturns(both, others) : null;
        if (!_spent)
        {
            _importingReturns[(helper, element)] = result;
        }
        return result;
    }

    /// <summary>
    /// What <paramref name="expr"/> in <paramref name="helper"/> holds as an imported module: a module a parameter names
    /// (<see cref="ImportedParameter"/>), its attribute another parameter names (<c>getattr(module, name)</c>), or a local
    /// every binding of which is one of these (MONAI: <c>the_module = import_module(module)</c>, then under <c>if
    /// name:</c> <c>the_module = getattr(the_module, name)</c>) or None (<see cref="IsFailedImportNone"/>). Null for
    /// anything else.
    /// </summary>
    private ImportedItem? ImportedBy(FunctionInfo helper, Expr expr, EvalContext context, int depth)
    {
        if (ImportedParameter(helper, expr, context) is { } parameter)
        {
            return new ImportedItem(parameter, null, ImportedForms.Module);
        }
        if (depth > 2)
        {
            return null;
        }
        if (expr is CallExpr { Args: [var owner, NameExpr { Id: var attribute }], Keywords.Count: 0 } getattr && IsParameter(helper, attribute)
            && ProjectModel.TrailingName(getattr.Func) == "getattr" && ResolvesTo(getattr.Func, context, "builtins.getattr"))
        {
            return ImportedBy(helper, owner, context, depth + 1) is { Attribute: null } module
                ? new ImportedItem(module.Module, attribute, ImportedForms.Attribute)
                : null;
        }
        if (expr is not NameExpr local || ReachingBindings(local.Id, context) is not { Count: > 0 } bindings)
        {
            return null;
        }
        ImportedItem? found = null;
        var modules = new List<Binding>();
        var rebindings = new List<Binding>();
        foreach (var binding in bindings)
        {
            if (IsFailedImportNone(helper, binding))
            {
                continue;
            }
            if (binding is not { Kind: BindingKind.Assignment, Augments: false, Value: { } value } || binding.Scope != helper.Scope
                || ImportedBy(helper, value, EvalContext.Of(binding), depth + 1) is not { } item
                || (found is { } before ? before.Or(item) : item) is not { } both)
            {
                return null;
            }
            found = both;
            (item.Forms == ImportedForms.Attribute ? rebindings : modules).Add(binding);
        }
        return found is { Attribute: { } named } mixed && mixed.Forms.HasFlag(ImportedForms.ModuleNamed) && rebindings.Count > 0
            && rebindings.All(rebinding => RebindsAfter(helper, rebinding, modules, named))
            ? mixed with { Forms = mixed.Forms & ~ImportedForms.ModuleNamed }
            : found;
    }

    /// <summary>
    /// <c>lib = None</c> in the helper (docarray's <c>import_library</c> binds it where the import fails): a value that
    /// decodes nothing, so the local's other bindings say what it imports.
    /// </summary>
    private static bool IsFailedImportNone(FunctionInfo helper, Binding binding) =>
        binding is { Kind: BindingKind.Assignment, Augments: false, Value: ConstantExpr { Value.Type: ConstantType.None } } && binding.Scope == helper.Scope;

    /// <summary>
    /// Whether <paramref name="rebinding"/> is the first statement under <c>if name:</c>, in the statement list where each
    /// of the local's other <paramref name="bindings"/> comes before that <c>if</c>: a call naming an attribute then
    /// always rebinds the local to it (a <c>getattr</c> that raises fails the call).
    /// </summary>
    private static bool RebindsAfter(FunctionInfo helper, Binding rebinding, List<Binding> bindings, string name)
    {
        foreach (var list in StatementLists(helper.Body))
        {
            var guard = IndexWhere(list, statement => IsIfNamed(statement, name, first => first is AssignStmt { Targets: [NameExpr target] } assigned
                && target.Id == rebinding.Name && ReferenceEquals(assigned.Value, rebinding.Value)));
            if (guard >= 0)
            {
                return bindings.All(binding => IndexWhere(list, statement => statement is AssignStmt assigned && ReferenceEquals(assigned.Value, binding.Value)) is >= 0 and var at
                    && at < guard);
            }
        }
        return false;
    }

    /// <summary>
    /// Whether the <c>return</c> of <paramref name="returned"/> comes after <c>if name:</c> whose body starts with a
    /// <c>return</c>, in one statement list: a call naming an attribute returns there first.
    /// </summary>
    private static bool ReturnedAfterIfNamed(FunctionInfo helper, Expr returned, string name)
    {
        foreach (var list in StatementLists(helper.Body))
        {
            var at = IndexWhere(list, statement => statement is ReturnStmt leaving && ReferenceEquals(leaving.Value, returned));
            if (at >= 0)
            {
                return IndexWhere(list, statement => IsIfNamed(statement, name, first => first is ReturnStmt)) is >= 0 and var guard && guard < at;
            }
        }
        return false;
    }

    private static bool IsIfNamed(Stmt statement, string name, Func<Stmt, bool> opens) =>
        statement is IfStmt { Test: NameExpr test, Body: [var first, ..] } && test.Id == name && opens(first);

    private static int IndexWhere(IReadOnlyList<Stmt> list, Func<Stmt, bool> match)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (match(list[i]))
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>A function's own statement lists: its body and those nested in compound statements (not in definitions).</summary>
    private static IEnumerable<IReadOnlyList<Stmt>> StatementLists(IReadOnlyList<Stmt> body)
    {
        var pending = new Stack<IReadOnlyList<Stmt>>();
        pending.Push(body);
        while (pending.TryPop(out var list))
        {
            yield return list;
            foreach (var statement in list)
            {
                foreach (var nested in Detection.GuardWalker.ChildBlocks(statement))
                {
                    pending.Push(nested);
                }
            }
        }
    }

    /// <summary>
    /// The parameter of <paramref name="helper"/> whose module <paramref name="returned"/> is: <c>import_module(name)</c>,
    /// <c>sys.modules[name]</c>, or a module made from its spec (<c>module_from_spec(find_spec(name))</c>, the spec
    /// written there or bound to a local: the <c>importlib.util.LazyLoader</c> recipe). Null for any other expression.
    /// </summary>
    private string? ImportedParameter(FunctionInfo helper, Expr returned, EvalContext context)
    {
        switch (returned)
        {
            case CallExpr { Args: [NameExpr { Id: var name }], Keywords.Count: 0 } importing when IsParameter(helper, name)
                && ProjectModel.TrailingName(importing.Func) == "import_module" && ResolvesTo(importing.Func, context, "importlib.import_module"):
                return name;
            case SubscriptExpr { Slice: NameExpr { Id: var key } } item when IsParameter(helper, key) && ProjectModel.TrailingName(item.Value) == "modules" && ResolvesTo(item.Value, context, "sys.modules"):
                return key;
            case CallExpr made when IsModuleFromSpec(made) && ResolvesTo(made.Func, context, "importlib.util.module_from_spec"):
                return SpecParameter(helper, made.Args[0], context);
            default:
                return null;
        }
    }

    /// <summary>The parameter <c>find_spec(name)</c> looks up, where <paramref name="spec"/> is that call or a local name bound only to it.</summary>
    private string? SpecParameter(FunctionInfo helper, Expr spec, EvalContext context)
    {
        if (spec is NameExpr local && ReachingBindings(local.Id, context) is [{ Kind: BindingKind.Assignment, Value: { } value } binding])
        {
            return SpecParameter(helper, value, EvalContext.Of(binding));
        }
        return spec is CallExpr { Args: [NameExpr { Id: var name }, ..] } finding && IsParameter(helper, name)
            && ProjectModel.TrailingName(finding.Func) == "find_spec" && ResolvesTo(finding.Func, context, "importlib.util.find_spec")
            ? name
            : null;
    }

    /// <summary>A call of one argument named <c>module_from_spec</c>: checked by name before anything is resolved (every helper's returns are asked).</summary>
    private static bool IsModuleFromSpec(CallExpr call) =>
        call is { Args: [not StarredExpr], Keywords.Count: 0 } && ProjectModel.TrailingName(call.Func) == "module_from_spec";
}

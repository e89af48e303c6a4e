using PickleGuard.Analysis.Resolution;
using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// The project classes an argument holds a class or an instance of, each standing for itself and its subclasses, for
/// choosing which overrides a call on the parameter it binds can run (ProjectIndex.ParameterDispatch.cs): what the
/// resolver gives, when that is only project classes and their instances; for a name bound only as a parameter that the
/// resolver leaves unknown, the classes its annotation names (<c>Type[...]</c> and quoted names read through,
/// <c>None</c> left out); for <c>x.attr</c>, the annotation the body of the class <c>x</c> is known by declares for
/// <c>attr</c> (docarray's <c>DocList.doc_type: Type[BaseDocWithoutId] = AnyDoc</c>: any document class, where the
/// default the body assigns would say <c>AnyDoc</c> alone). Null when some part is unknown.
/// </summary>
internal static class DeclaredClasses
{
    private const int MaxDepth = 3;

    public static List<ClassInfo>? Of(Expr expr, EvalContext context, ValueResolver resolver) => Of(expr, context, resolver, 0);

    private static List<ClassInfo>? Of(Expr expr, EvalContext context, ValueResolver resolver, int depth)
    {
        if (depth > MaxDepth)
        {
            return null;
        }
        if (expr is AttributeExpr attribute && Of(attribute.Value, context, resolver, depth + 1) is { } owners
            && FieldClasses(owners, attribute.Attr, resolver) is { } declared)
        {
            return declared;
        }
        if (resolver.Resolve(expr, context) is { Count: > 0 } values)
        {
            return ClassesOf(values);
        }
        return expr is NameExpr name
            && context.Scope.BindingsOf(name.Id) is [{ Kind: BindingKind.Parameter, SelfOf: null, Node: Arg { Annotation: { } annotation } } parameter]
            && parameter.Scope.Parent is { } declaring
                ? Annotated(annotation, new EvalContext(declaring, parameter.Offset, parameter.Blocks), resolver)
                : null;
    }

    /// <summary>The classes the field <paramref name="attribute"/> is declared with in the chain of every one of <paramref name="owners"/>, or null.</summary>
    private static List<ClassInfo>? FieldClasses(List<ClassInfo> owners, string attribute, ValueResolver resolver)
    {
        var result = new List<ClassInfo>();
        foreach (var owner in owners)
        {
            var declared = FieldDeclaration(owner, attribute, resolver);
            if (declared is null || Annotated(declared.Value.Annotation, declared.Value.Context, resolver) is not { } classes)
            {
                return null;
            }
            result.AddRange(classes);
        }
        return result;
    }

    /// <summary>The nearest declaration of <paramref name="attribute"/> with an annotation in the class body of <paramref name="cls"/> or a base.</summary>
    private static (Expr Annotation, EvalContext Context)? FieldDeclaration(ClassInfo cls, string attribute, ValueResolver resolver)
    {
        foreach (var owner in resolver.ClassAndBases(cls))
        {
            if (owner.DeclaredFields.TryGetValue(attribute, out var declared))
            {
                return (declared.Annotation, new EvalContext(owner.BodyScope, declared.Span.Start, owner.BodyScope.Body));
            }
        }
        return null;
    }

    /// <summary>The project classes <paramref name="annotation"/> names, as a class or an instance; null when a part of it is no project class.</summary>
    private static List<ClassInfo>? Annotated(Expr annotation, EvalContext context, ValueResolver resolver)
    {
        var result = new List<ClassInfo>();
        foreach (var type in AnnotationTypes.Of(annotation))
        {
            var named = type is SubscriptExpr { Value: NameExpr { Id: "type" or "Type" } or AttributeExpr { Attr: "Type" }, Slice: var inner } ? inner : type;
            foreach (var member in AnnotationTypes.Of(named)) // `Type['DocList']`: the quoted name inside
            {
                if (member is ConstantExpr { Value.Type: ConstantType.None })
                {
                    continue;
                }
                if (ClassesOf(resolver.Resolve(member, context)) is not { Count: > 0 } classes)
                {
                    return null;
                }
                result.AddRange(classes);
            }
        }
        return result.Count > 0 ? result : null;
    }

    /// <summary>The classes of <paramref name="values"/> when each is a project class or an instance of one, else null.</summary>
    private static List<ClassInfo>? ClassesOf(IReadOnlyList<SymbolicValue> values)
    {
        var result = new List<ClassInfo>(values.Count);
        for (var i = 0; i < values.Count; i++)
        {
            switch (values[i])
            {
                case ClassValue { Class: var cls }:
                    result.Add(cls);
                    break;
                case InstanceValue { Class: var cls }:
                    result.Add(cls);
                    break;
                default:
                    return null;
            }
        }
        return result;
    }
}

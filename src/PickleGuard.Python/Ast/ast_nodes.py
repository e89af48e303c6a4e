"""Generates the AST node classes, AstWalker and the dump visitor from the table below.

Run from this directory: python3 ast_nodes.py. The output (*.g.cs, Nodes/*.cs) is committed; the product
never needs Python. Each row: C# class, CPython name, base, whether CPython gives it a position, fields in
CPython `_fields` order as name:kind.
Kinds: E Expr, E? nullable Expr, E* list of Expr, E?* list of nullable Expr, S* statements, id string,
id? nullable string, id* list of strings, int, flag (bool printed 0/1), ctx, bop, uop, boolop, cmp*,
const (constant value), uprefix (a string's kind: "u" or None, given to the constructor as a bool), nonestr (always None: type comments are not parsed), empty (always []),
or a helper type name with ?, * suffixes.
"""
import os

NODES = """
ModuleNode Module Node - body:S* type_ignores:empty
FunctionDefStmt FunctionDef Stmt + name:id args:Arguments body:S* decorator_list:E* returns:E? type_comment:nonestr type_params:TypeParam*
AsyncFunctionDefStmt AsyncFunctionDef Stmt + name:id args:Arguments body:S* decorator_list:E* returns:E? type_comment:nonestr type_params:TypeParam*
ClassDefStmt ClassDef Stmt + name:id bases:E* keywords:Keyword* body:S* decorator_list:E* type_params:TypeParam*
ReturnStmt Return Stmt + value:E?
DeleteStmt Delete Stmt + targets:E*
AssignStmt Assign Stmt + targets:E* value:E type_comment:nonestr
TypeAliasStmt TypeAlias Stmt + name:E type_params:TypeParam* value:E
AugAssignStmt AugAssign Stmt + target:E op:bop value:E
AnnAssignStmt AnnAssign Stmt + target:E annotation:E value:E? simple:flag
ForStmt For Stmt + target:E iter:E body:S* orelse:S* type_comment:nonestr
AsyncForStmt AsyncFor Stmt + target:E iter:E body:S* orelse:S* type_comment:nonestr
WhileStmt While Stmt + test:E body:S* orelse:S*
IfStmt If Stmt + test:E body:S* orelse:S*
WithStmt With Stmt + items:WithItem* body:S* type_comment:nonestr
AsyncWithStmt AsyncWith Stmt + items:WithItem* body:S* type_comment:nonestr
MatchStmt Match Stmt + subject:E cases:MatchCase*
RaiseStmt Raise Stmt + exc:E? cause:E?
TryStmt Try Stmt + body:S* handlers:ExceptHandler* orelse:S* finalbody:S*
TryStarStmt TryStar Stmt + body:S* handlers:ExceptHandler* orelse:S* finalbody:S*
AssertStmt Assert Stmt + test:E msg:E?
ImportStmt Import Stmt + names:Alias*
ImportFromStmt ImportFrom Stmt + module:id? names:Alias* level:int
GlobalStmt Global Stmt + names:id*
NonlocalStmt Nonlocal Stmt + names:id*
ExprStmt Expr Stmt + value:E
PassStmt Pass Stmt +
BreakStmt Break Stmt +
ContinueStmt Continue Stmt +
BoolOpExpr BoolOp Expr + op:boolop values:E*
NamedExpr NamedExpr Expr + target:E value:E
BinOpExpr BinOp Expr + left:E op:bop right:E
UnaryOpExpr UnaryOp Expr + op:uop operand:E
LambdaExpr Lambda Expr + args:Arguments body:E
IfExpr IfExp Expr + test:E body:E orelse:E
DictExpr Dict Expr + keys:E?* values:E*
SetExpr Set Expr + elts:E*
ListCompExpr ListComp Expr + elt:E generators:Comprehension*
SetCompExpr SetComp Expr + elt:E generators:Comprehension*
DictCompExpr DictComp Expr + key:E value:E generators:Comprehension*
GeneratorExpr GeneratorExp Expr + elt:E generators:Comprehension*
AwaitExpr Await Expr + value:E
YieldExpr Yield Expr + value:E?
YieldFromExpr YieldFrom Expr + value:E
CompareExpr Compare Expr + left:E ops:cmp* comparators:E*
CallExpr Call Expr + func:E args:E* keywords:Keyword*
FormattedValueExpr FormattedValue Expr + value:E conversion:int format_spec:E?
InterpolationExpr Interpolation Expr + value:E str:id conversion:int format_spec:E?
JoinedStrExpr JoinedStr Expr + values:E*
TemplateStrExpr TemplateStr Expr + values:E*
ConstantExpr Constant Expr + value:const kind:uprefix
AttributeExpr Attribute Expr + value:E attr:id ctx:ctx
SubscriptExpr Subscript Expr + value:E slice:E ctx:ctx
StarredExpr Starred Expr + value:E ctx:ctx
NameExpr Name Expr + id:id ctx:ctx
ListExpr List Expr + elts:E* ctx:ctx
TupleExpr Tuple Expr + elts:E* ctx:ctx
SliceExpr Slice Expr + lower:E? upper:E? step:E?
Comprehension comprehension Node - target:E iter:E ifs:E* is_async:flag
ExceptHandler ExceptHandler Node + type:E? name:id? body:S*
Arguments arguments Node - posonlyargs:Arg* args:Arg* vararg:Arg? kwonlyargs:Arg* kw_defaults:E?* kwarg:Arg? defaults:E*
Arg arg Node + arg:id annotation:E? type_comment:nonestr
Keyword keyword Node + arg:id? value:E
Alias alias Node + name:id asname:id?
WithItem withitem Node - context_expr:E optional_vars:E?
MatchCase match_case Node - pattern:Pattern guard:E? body:S*
MatchValuePattern MatchValue Pattern + value:E
MatchSingletonPattern MatchSingleton Pattern + value:const
MatchSequencePattern MatchSequence Pattern + patterns:Pattern*
MatchMappingPattern MatchMapping Pattern + keys:E* patterns:Pattern* rest:id?
MatchClassPattern MatchClass Pattern + cls:E patterns:Pattern* kwd_attrs:id* kwd_patterns:Pattern*
MatchStarPattern MatchStar Pattern + name:id?
MatchAsPattern MatchAs Pattern + pattern:Pattern? name:id?
MatchOrPattern MatchOr Pattern + patterns:Pattern*
TypeVarParam TypeVar TypeParam + name:id bound:E? default_value:E?
ParamSpecParam ParamSpec TypeParam + name:id default_value:E?
TypeVarTupleParam TypeVarTuple TypeParam + name:id default_value:E?
"""

SIMPLE = {
    "E": "Expr", "E?": "Expr?", "E*": "IReadOnlyList<Expr>", "E?*": "IReadOnlyList<Expr?>",
    "S*": "IReadOnlyList<Stmt>", "id": "string", "id?": "string?", "id*": "IReadOnlyList<string>",
    "int": "int", "flag": "bool", "ctx": "ExprContext", "bop": "BinaryOperator", "uop": "UnaryOperator",
    "boolop": "BoolOperator", "cmp*": "IReadOnlyList<CompareOperator>", "const": "ConstantValue", "uprefix": "string?",
}

# Kinds kept in Node.Tag (two bits beside the start offset) instead of a field of their own: see Node.cs.
TAGGED = {
    "ctx": ("ExprContext", "(ExprContext)Tag", "Tag = (int)value;"),
    "uprefix": ("bool", 'Tag == 1 ? "u" : null', None),
}


def pascal(name):
    return "".join(p[:1].upper() + p[1:] for p in name.split("_"))


def cs_type(kind):
    if kind in SIMPLE:
        return SIMPLE[kind]
    if kind.endswith("*"):
        return f"IReadOnlyList<{kind[:-1]}>"
    return kind


def parse():
    rows = []
    for line in NODES.strip().splitlines():
        parts = line.split()
        cls, py, base, pos = parts[:4]
        fields = [tuple(f.split(":")) for f in parts[4:]]
        rows.append((cls, py, base, pos == "+", fields))
    return rows


def stored(fields):
    return [(n, k) for n, k in fields if k not in ("nonestr", "empty")]


def prop_name(cls, name):
    p = pascal(name)
    return p + "Value" if p == cls else p


def param_name(name, kind):
    if kind == "uprefix":
        return "hasUPrefix"
    return pascal(name)[0].lower() + pascal(name)[1:]


# Nodes with a hand-written part beside the generated one (CallExpr.Ordinal.cs).
PARTIAL = {"CallExpr"}


def emit_node(cls, py, base, fields):
    fs = stored(fields)
    params = ", ".join(f"{TAGGED[k][0] if k in TAGGED else cs_type(k)} {param_name(n, k)}" for n, k in fs)
    lines = ["// Generated by Ast/ast_nodes.py from its node table; edit the table, not this file.", "namespace PickleGuard.Python;", "",
             f"/// <summary>CPython <c>ast.{py}</c>.</summary>",
             f"public sealed {'partial ' if cls in PARTIAL else ''}class {cls} : {base}", "{"]
    ctor_params = "TextSpan span" + (", " + params if params else "")
    lines.append(f"    public {cls}({ctor_params}) : base(span)")
    lines.append("    {")
    for n, k in fs:
        p = prop_name(cls, n)
        arg = param_name(n, k)
        if k == "uprefix":
            lines.append(f"        Tag = {arg} ? 1 : 0;")
        else:
            lines.append(f"        {p} = {arg};")
    lines.append("    }")
    lines.append("")
    for n, k in fs:
        p = prop_name(cls, n)
        if k in TAGGED:
            _, getter, setter = TAGGED[k]
            accessors = f"get => {getter}; internal set => {setter}" if setter else None
            lines.append(f"    public {cs_type(k)} {p} {{ {accessors} }}" if accessors else f"    public {cs_type(k)} {p} => {getter};")
        else:
            lines.append(f"    public {cs_type(k)} {p} {{ get; }}")
        lines.append("")
    lines.append(f"    public override void Accept(AstWalker walker) => walker.Visit{cls}(this);")
    lines.append("}")
    return "\n".join(lines) + "\n"


def walk_stmt(cls, n, k):
    p = "node." + prop_name(cls, n)
    base = k.rstrip("*?")
    if base in ("id", "int", "flag", "ctx", "bop", "uop", "boolop", "cmp", "const", "uprefix"):
        return None
    if k.endswith("*"):
        return f"        WalkList({p});"
    return f"        {p}{'?' if k.endswith('?') else ''}.Accept(this);"


def emit_walker(rows):
    out = ["// Generated by Ast/ast_nodes.py from its node table; edit the table, not this file.", "namespace PickleGuard.Python;", "",
           "/// <summary>Walks the tree; each Visit method by default visits the node's children in field order.</summary>",
           "public abstract partial class AstWalker", "{"]
    for cls, py, base, pos, fields in rows:
        out.append(f"    public virtual void Visit{cls}({cls} node)")
        out.append("    {")
        body = [s for s in (walk_stmt(cls, n, k) for n, k in stored(fields)) if s]
        out.extend(body)
        out.append("    }")
        out.append("")
    out[-1] = "}"
    return "\n".join(out) + "\n"


def dump_value(cls, n, k):
    p = "node." + prop_name(cls, n)
    if k == "nonestr":
        return 'Raw("None")'
    if k == "empty":
        return 'Raw("[]")'
    if k in ("id", "id?", "uprefix"):
        return f"String({p})"
    if k == "id*":
        return f"Strings({p})"
    if k == "int":
        return f"Int({p})"
    if k == "flag":
        return f"Int({p} ? 1 : 0)"
    if k in ("ctx", "bop", "uop", "boolop"):
        return f"Operator({p})"
    if k == "cmp*":
        return f"Operators({p})"
    if k == "const":
        return f"Constant({p})"
    if k.endswith("*"):
        return f"List({p})"
    return f"Child({p})"


def emit_dump(rows):
    out = ["// Generated by Ast/ast_nodes.py from its node table; edit the table, not this file.", "namespace PickleGuard.Python;", "",
           "internal sealed partial class AstDumpWriter", "{"]
    for cls, py, base, pos, fields in rows:
        out.append(f"    public override void Visit{cls}({cls} node)")
        out.append("    {")
        out.append(f'        Open("{py}");')
        for i, (n, k) in enumerate(fields):
            out.append(f'        Field("{n}", {"true" if i == 0 else "false"});')
            out.append(f"        {dump_value(cls, n, k)};")
        out.append(f"        Close(node{', true' if pos else ', false'});")
        out.append("    }")
        out.append("")
    out[-1] = "}"
    return "\n".join(out) + "\n"


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    rows = parse()
    os.makedirs(os.path.join(here, "Nodes"), exist_ok=True)
    for cls, py, base, pos, fields in rows:
        with open(os.path.join(here, "Nodes", cls + ".cs"), "w") as f:
            f.write(emit_node(cls, py, base, fields))
    with open(os.path.join(here, "AstWalker.g.cs"), "w") as f:
        f.write(emit_walker(rows))
    with open(os.path.join(here, "AstDumpWriter.g.cs"), "w") as f:
        f.write(emit_dump(rows))


main()

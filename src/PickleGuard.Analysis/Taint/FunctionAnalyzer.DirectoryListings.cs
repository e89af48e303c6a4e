using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// Paths a directory listing gives: an entry of <c>d.iterdir()</c>, <c>d.glob(pattern)</c>, <c>d.rglob(pattern)</c> or
/// <c>glob.glob(os.path.join(d, pattern))</c> lies under <c>d</c>, so a file an archive extracted into <c>d</c> put
/// there is read back by it (nerfstudio's Mill19 download: <c>tar.extractall(tmp_path)</c>, then <c>folder =
/// list(tmp_path.iterdir())[0]</c>). Followed for a local name bound once: a loop's target over a listing, or an item of
/// one (<c>folders[0]</c>), the listing itself possibly wrapped in <c>list</c>/<c>sorted</c>/<c>tuple</c> or held by a
/// name bound once. A pattern climbing out of the directory (<c>..</c>), or one computed at run time, lists nothing.
/// </summary>
internal sealed partial class FunctionAnalyzer
{
    private static readonly HashSet<string> GlobFunctions = new(StringComparer.Ordinal) { "glob.glob", "glob.iglob" };

    /// <summary>The directory an entry of a listing that <paramref name="name"/> is bound to lies under, else null.</summary>
    private Expr? ListedDirectory(NameExpr name) =>
        !IsLocal(name.Id) || _unit.Scope.BindingsOf(name.Id) is not [var binding] ? null
            : binding switch
            {
                { Kind: Semantic.BindingKind.ForTarget, Node: NameExpr, Value: { } listing } => ListingDirectory(listing, 0),
                { Kind: Semantic.BindingKind.Assignment, Augments: false, Value: SubscriptExpr { Slice: not SliceExpr } item } => ListingDirectory(item.Value, 0),
                _ => null,
            };

    /// <summary>The directory <paramref name="listing"/> lists (see the type), else null.</summary>
    private Expr? ListingDirectory(Expr listing, int depth)
    {
        if (depth > MaxPathDepth)
        {
            return null;
        }
        return listing switch
        {
            CallExpr { Func: AttributeExpr { Attr: "iterdir", Value: var directory }, Args.Count: 0, Keywords.Count: 0 } => directory,
            CallExpr { Func: AttributeExpr { Attr: "glob" or "rglob", Value: var directory }, Args: [var pattern], Keywords.Count: 0 }
                when StaysInside(pattern) => directory,
            CallExpr { Func: NameExpr { Id: "list" or "sorted" or "tuple" }, Args: [var listed] } => ListingDirectory(listed, depth + 1),
            CallExpr { Args: [var pattern] } call when ResolvesToAll(call, GlobFunctions) => GlobbedDirectory(SamePath(pattern)),
            NameExpr name when IsLocal(name.Id) && ValueBoundOnce(name) is { } value => ListingDirectory(value, depth + 1),
            _ => null,
        };
    }

    /// <summary>The directory of <c>glob.glob</c>'s pattern: the left of <c>d / "*.pt"</c>, the first of <c>os.path.join(d, "*", "*.pt")</c>.</summary>
    private Expr? GlobbedDirectory(Expr pattern) =>
        ParentDirectory(pattern) is { } directory && pattern switch
        {
            BinOpExpr division => StaysInside(division.Right),
            CallExpr join => join.Args.Skip(1).All(StaysInside),
            _ => false,
        }
            ? directory
            : null;

    /// <summary>A literal pattern that names no parent directory (<c>..</c>): what it matches lies under the directory it is applied to.</summary>
    private static bool StaysInside(Expr pattern) =>
        pattern is ConstantExpr { Value: { Type: ConstantType.Str, AsString: { } text } } && !text.Contains("..", StringComparison.Ordinal);

    /// <summary>
    /// What the files under <paramref name="directory"/> hold, for a move of it: what was put into it (its constant path's
    /// directory facts, or the directory a local name holds), or into a directory above it (an entry of an extracted
    /// archive listed there, itself a directory or a file).
    /// </summary>
    private TaintValue FilesUnder(Expr directory, Node at)
    {
        if (ConstantPath(directory) is { } path)
        {
            return SavedInDirectories(path + "/");
        }
        var put = _localSaves is not null && LocalPath(directory) is [LocalPathMark, ..] local
            ? _localSaves.GetValueOrDefault(DirectoryKey(local), TaintValue.Clean)
            : TaintValue.Clean;
        return put.Join(SavedInLocalDirectory(directory, at));
    }
}

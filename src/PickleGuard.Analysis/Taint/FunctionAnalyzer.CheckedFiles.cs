using PickleGuard.Analysis.Resolution;
using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// A saved file whose digest is checked: CLIP's <c>_download</c> writes the response to <c>download_target</c>, then
/// <c>if hashlib.sha256(open(download_target, "rb").read()).hexdigest() != expected_sha256: raise</c>, then returns the
/// path. Where a pinned-digest guard holds over the whole content read back from a path (by this function: a local
/// name's or a constant path), the file at that path is verified in the state (a verified source keyed by
/// <see cref="CheckedFileMark"/> and the path's key) until it is written again; reading the file back or returning its
/// path there gives the saved data verified.
/// </summary>
internal sealed partial class FunctionAnalyzer
{
    /// <summary>Starts the verified-source key of a checked file: no source expression's text starts so.</summary>
    private const char CheckedFileMark = '\u0002';

    /// <summary>Verifies what a pinned-digest guard hashed, and the file it was read from (<see cref="FileReadWhole"/>).</summary>
    private void VerifyPinned(Expr hashed, CallExpr hashing, TaintState state, string reason)
    {
        VerifyGuarded([hashed], state, reason);
        if (_module.CallSiteOf(hashing) is { } site && FileReadWhole(hashed, EvalContext.At(site), 0) is { } key)
        {
            state.VerifySource(CheckedFileMark + key, reason);
        }
    }

    /// <summary>The saved data <paramref name="saved"/> at the file keyed <paramref name="key"/>, verified where its digest was checked.</summary>
    private TaintValue CheckedFile(string key, TaintValue saved) =>
        _state.HasVerifiedSources && _state.VerifiedSource(CheckedFileMark + key) is { } reason ? VerifiedBy(saved, reason) : saved;

    /// <summary>A write to the file keyed <paramref name="key"/>: its earlier check no longer holds.</summary>
    private void ForgetCheckedFile(string key)
    {
        if (_state.HasVerifiedSources)
        {
            _state.ForgetVerifiedSource(CheckedFileMark + key);
        }
    }

    /// <summary>
    /// The key of the file whose whole content <paramref name="expr"/> is: <c>open(path, ...).read()</c>, <c>f.read()</c>
    /// with every binding of <c>f</c> reaching here a <c>with open(path, ...) as f</c>, or a name every binding of which
    /// reaching here is one of those (whisper: <c>model_bytes = f.read()</c> in one branch,
    /// <c>model_bytes = open(download_target, "rb").read()</c> in another), all of the same path.
    /// </summary>
    private string? FileReadWhole(Expr expr, EvalContext context, int depth) => expr switch
    {
        CallExpr { Func: AttributeExpr { Attr: "read", Value: var handle }, Args.Count: 0, Keywords.Count: 0 } => OpenedFile(handle, context),
        NameExpr name when depth < 3 => SameKeyOfReachingBindings(name, context,
            binding => binding is { Kind: BindingKind.Assignment, Value: { } value } ? FileReadWhole(value, EvalContext.Of(binding), depth + 1) : null),
        _ => null,
    };

    /// <summary>The key of the file <c>open(path, ...)</c> opens, directly or as the <c>with</c> target <paramref name="handle"/> names.</summary>
    private string? OpenedFile(Expr handle, EvalContext context) => handle switch
    {
        CallExpr { Func: NameExpr { Id: "open" }, Args: [var path, ..] } => FilePath(path),
        NameExpr name => SameKeyOfReachingBindings(name, context,
            binding => binding is { Kind: BindingKind.WithTarget, Value: CallExpr opened } ? OpenedFile(opened, context) : null),
        _ => null,
    };

    /// <summary>The key <paramref name="keyOf"/> gives every binding of <paramref name="name"/> reaching <paramref name="context"/>, when they all give the same one.</summary>
    private string? SameKeyOfReachingBindings(NameExpr name, EvalContext context, Func<Binding, string?> keyOf)
    {
        string? same = null;
        foreach (var binding in _program.Resolver.ReachingBindings(name.Id, context))
        {
            if (binding.Scope != _unit.Scope || keyOf(binding) is not { } key || same is not null && same != key)
            {
                return null;
            }
            same = key;
        }
        return same;
    }
}

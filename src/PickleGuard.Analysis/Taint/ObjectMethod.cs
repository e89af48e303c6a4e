using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// A project method <paramref name="Unit"/> (<paramref name="Method"/> of <paramref name="Class"/>) of an object the
/// call's argument <paramref name="Argument"/> holds, which a project callee calls on the parameter that argument
/// binds (web2py's memcache: <c>self._recv_value(server, flags, rlen)</c>, <c>server</c> a <c>_Host</c>, and
/// <c>_recv_value</c> reading <c>server.recv(rlen)</c>).
/// </summary>
internal sealed record ObjectMethod(Expr Argument, string Method, Semantic.ClassInfo Class, TaintUnit Unit);

using PickleGuard.Models;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Detection;

/// <summary>
/// A deserializer passed as a callable in the arguments of call number <see cref="Call"/> of a module
/// (<c>map(pickle.loads, items)</c>), as sink detection found it: the taint engine makes it a sink of that call.
/// </summary>
internal readonly record struct SinkReference(int Call, Expr Argument, SinkModel Sink, string Display);

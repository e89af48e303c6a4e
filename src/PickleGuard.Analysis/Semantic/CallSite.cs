using PickleGuard.Python;

namespace PickleGuard.Analysis.Semantic;

/// <summary>
/// A call expression with the scope and blocks it runs in. A struct: a module holds one per call in an array
/// (<see cref="ModuleModel.Calls"/>, 327,000 on the stdlib), where an object each cost 40 bytes and a reference.
/// </summary>
public readonly record struct CallSite(CallExpr Call, Scope Scope, BlockPath Blocks);

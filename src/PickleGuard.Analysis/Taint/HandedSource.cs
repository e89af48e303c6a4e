using PickleGuard.Models;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// A client-object source passed as a callable (<paramref name="Argument"/>, an API such as
/// <c>redis.StrictRedis.from_url</c> named by <paramref name="Name"/>) to a project function that calls the parameter
/// it binds or passes it on.
/// </summary>
internal sealed record HandedSource(Expr Argument, SourceModel Model, string Name);

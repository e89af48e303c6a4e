namespace PickleGuard.Analysis.Semantic;

public enum ScopeKind
{
    Module,
    Class,
    Function,
    Lambda,
    Comprehension,
}

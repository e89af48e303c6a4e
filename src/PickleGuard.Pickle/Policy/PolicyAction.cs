namespace PickleGuard.Pickle;

/// <summary>The directive of one policy line.</summary>
public enum PolicyAction
{
    /// <summary><c>allow PATTERN</c>: globals matching the pattern are harmless.</summary>
    Allow,
    /// <summary><c>allow-class PREFIX.*</c>: CamelCase class names directly under the prefix are harmless (functions are not).</summary>
    AllowClass,
    /// <summary><c>deny PATTERN</c>: globals matching the pattern are dangerous, also when reached through attribute chains.</summary>
    Deny,
    /// <summary><c>deny-name NAME</c>: a final attribute name that is dangerous whatever module re-exports it.</summary>
    DenyName,
    /// <summary><c>allow-persistent-id TAG</c>: persistent ids that are tuples starting with this string are expected (e.g. torch storages).</summary>
    AllowPersistentId,
    /// <summary><c>allow-string-persistent-id GLOB</c>: persistent ids that are bare strings matching the glob (<c>*</c>, <c>?</c>) are expected (e.g. torch's legacy tar format, whose loader only looks such ids up among storages and tensors it already built).</summary>
    AllowStringPersistentId,
    /// <summary><c>nested-loader NAME</c>: a deserializer whose constant bytes argument is scanned as a nested pickle.</summary>
    NestedLoader,
    /// <summary><c>calls-argument NAME:INDEX</c>: an allowed callable that calls (or instantiates) its argument INDEX, which must then be an imported global or None.</summary>
    CallsArgument,
}

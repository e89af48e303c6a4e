namespace PickleGuard.Pickle.Containers;

/// <summary>What the context (never the bytes) says about content whose format the bytes do not reveal.</summary>
internal enum ContentHint
{
    /// <summary>A file the user named, or the decoded content of one: unknown bytes get a "not recognised" note.</summary>
    Explicit,

    /// <summary>A member a loader unpickles by name (<c>data.pkl</c>, a legacy tar's <c>pickle</c>): always scanned as a pickle.</summary>
    Pickle,

    /// <summary>
    /// The <c>data.pkl</c> record torch.load unpickles in an identified torch.save zip: a pickle, judged with what
    /// <c>torch.load(weights_only=True)</c> accepts added. Only its own bytes: decoded or nested content is a <see cref="Pickle"/>.
    /// </summary>
    TorchCheckpointPickle,

    /// <summary>Any other archive member: scanned when its bytes are recognised, plain data otherwise.</summary>
    Member,

    /// <summary>A tensor storage member (<c>data/0</c>): only a strong magic number makes it worth reading past the head.</summary>
    TensorData,
}

namespace PickleGuard.Pickle.Containers;

/// <summary>What a node of the container layout was recognised as (by its bytes, never by its name alone).</summary>
public enum ContainerFormat
{
    /// <summary>The scanned file itself, before anything was recognised.</summary>
    File,
    Pickle,
    /// <summary>Legacy <c>torch.save</c> (before 1.6): magic-number, protocol, sys_info, object and storage-key pickles, then raw storages.</summary>
    TorchLegacy,
    /// <summary>Legacy <c>torch.save</c> tar layout: <c>sys_info</c>, <c>pickle</c>, <c>storages</c>, <c>tensors</c>.</summary>
    TorchTar,
    /// <summary>A zip written by <c>torch.save</c> (a <c>data.pkl</c> member).</summary>
    TorchZip,
    Zip,
    Npy,
    Npz,
    /// <summary>A pickle with joblib's in-band NumPy arrays.</summary>
    Joblib,
    /// <summary>joblib's old <c>ZF</c> + length + zlib format.</summary>
    JoblibZlib,
    Zlib,
    Gzip,
    Bzip2,
    Xz,
    LzmaAlone,
    Zstd,
    Lz4Frame,
    SevenZip,
    Tar,
    /// <summary>Plain data that is never unpickled (tensor storages, NumPy array payloads).</summary>
    Data,
    /// <summary>Bytes that match no known format.</summary>
    Unknown,
}

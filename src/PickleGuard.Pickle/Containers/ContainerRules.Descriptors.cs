using PickleGuard.Core;

namespace PickleGuard.Pickle.Containers;

public static partial class ContainerRules
{
    public static RuleDescriptor Unscannable { get; } = new(
        ContainerRuleCodes.Unscannable, "unscannable-content", "Part of the artifact could not be decoded",
        Severity.Medium, 502,
        "Reports a container or member whose bytes PickleGuard could not decode: an unsupported or corrupt compression " +
        "method, an encrypted archive member, a truncated stream, a 7z coder that is not supported.",
        "A loader may still be able to decode what the scanner could not, and then unpickle it. Scanners that report " +
        "\"could not decode\" as clean are bypassed exactly this way (the nullifAI models used 7z-compressed PyTorch files " +
        "that several scanners skipped). PickleGuard fails closed: content it cannot see is never called safe.",
        "```\nmodel.pt!archive/data.pkl: member compressed with method 99 (AES) cannot be decoded\n```",
        "Re-save the model with a standard writer (`torch.save`, `safetensors.torch.save_file`) so that every member is " +
        "stored or deflated, or publish the weights as safetensors, which cannot carry code.",
        [NullifAi, ZipAppNote]);

    public static RuleDescriptor DecompressionLimit { get; } = new(
        ContainerRuleCodes.DecompressionLimit, "decompression-limit", "Decompressed size or ratio limit reached",
        Severity.Medium, 409,
        "Reports a compressed stream that expands past the configured total size or compression ratio. Scanning stops there; " +
        "what lies beyond is not examined.",
        "A decompression bomb exhausts the memory or disk of whoever opens it, and anything hidden after the limit is " +
        "unseen by the scanner. Real model files are mostly stored (uncompressed) tensors and compress poorly.",
        "```\nweights.pkl.gz: decompressed output passed 4 GiB (ratio 10000:1)\n```",
        "Publish weights uncompressed (a torch zip stores tensors uncompressed) or raise the limit for a known-good file with " +
        "`--max-decompressed`.",
        ["https://cwe.mitre.org/data/definitions/409.html"]);

    public static RuleDescriptor ZipHeaderMismatch { get; } = new(
        ContainerRuleCodes.ZipHeaderMismatch, "zip-header-mismatch", "Zip local header disagrees with the central directory",
        Severity.High, 436,
        "Reports a zip member whose local file header (name, compression method or size) differs from its central " +
        "directory entry. PickleGuard scans both views.",
        "Readers disagree on which header to trust: `torch.load` (miniz) and Python's `zipfile` follow the central " +
        "directory, streaming readers follow the local headers. A file built so that a scanner sees a harmless member while " +
        "the loader sees a malicious one is a known scanner bypass. No ordinary writer produces such a file.",
        "```\nmodel.pt!archive/data.pkl: local header names it 'archive/readme.txt'\n```",
        "Re-create the archive with a standard writer; never load a checkpoint whose headers disagree.",
        [ZipAppNote, TorchLoadDocs]);

    public static RuleDescriptor NestingDepth { get; } = new(
        ContainerRuleCodes.NestingDepth, "nesting-depth-limit", "Containers nested deeper than the limit",
        Severity.Medium, 674,
        "Reports containers nested more deeply than the configured depth (for example a gzip in a zip in a tar in ...). " +
        "The innermost content is not scanned.",
        "Deep nesting serves to exhaust scanners or hide a payload below the depth they give up at; no model format needs it.",
        "```\nbundle.tar!a.zip!b.tar.gz!...: nesting deeper than 8 containers\n```",
        "Flatten the archive; publish each model file on its own.",
        ["https://cwe.mitre.org/data/definitions/674.html"]);

    public static RuleDescriptor ZipAmbiguousEntries { get; } = new(
        ContainerRuleCodes.ZipAmbiguousEntries, "zip-ambiguous-entries", "Zip with duplicate, overlapping or hidden entries",
        Severity.High, 436,
        "Reports a zip whose members share a name, overlap each other's bytes, or exist only in the local headers " +
        "(a member a streaming reader sees that the central directory does not list), or whose file holds more than one " +
        "end-of-central-directory record.",
        "Which duplicate a loader picks depends on the reader, so a scanner may examine one while the loader unpickles the " +
        "other. Overlapping entries are also the core of non-recursive zip bombs. All views are scanned, but the layout itself " +
        "is a sign of tampering.",
        "```\nmodel.pt: two members named 'archive/data.pkl'\n```",
        "Re-create the archive with a standard writer (`torch.save`, `zipfile`).",
        [ZipAppNote, "https://www.bamsoftware.com/hacks/zipbomb/"]);

    public static RuleDescriptor DataOutsideArchive { get; } = new(
        ContainerRuleCodes.DataOutsideArchive, "data-outside-archive", "Bytes before or after the archive",
        Severity.Low, 436,
        "Reports bytes before the first zip member or after the end of the archive. When those bytes are themselves a " +
        "pickle, they are scanned as one (and that scan reports what they do).",
        "`torch.load` decides between the zip and the legacy (raw pickle) format by the first bytes of the file, while " +
        "zip readers find the archive from its end: a pickle placed before a zip makes a polyglot where the scanner sees a " +
        "clean zip and the loader unpickles the prefix.",
        "```\nmodel.pt: 41 bytes before the zip archive (a pickle)\n```",
        "Re-save the checkpoint; a file written by `torch.save` starts with its first zip member.",
        [TorchLoadDocs, ZipAppNote]);

    public static RuleDescriptor NotRecognised { get; } = new(
        ContainerRuleCodes.NotRecognised, "not-a-recognised-artifact", "Not a recognised artifact format",
        Severity.Info, 0,
        "Notes that a file named explicitly matches none of the artifact formats PickleGuard reads (pickle, PyTorch zip/tar/" +
        "legacy, NumPy, joblib, zip, tar, 7z, gzip, bz2, xz, lzma, zstd, lz4). It is a note, not a pass: nothing was checked.",
        "A file named as a model but matching no format may be a format PickleGuard does not know; whatever loads it was " +
        "not examined.",
        "```\nweights.bin: not a recognised artifact (starts with 47 47 55 46)\n```",
        "Check which loader reads the file; prefer formats that cannot carry code (safetensors, GGUF, ONNX).",
        ["https://huggingface.co/docs/safetensors/index"]);

    public static RuleDescriptor ChecksumMismatch { get; } = new(
        ContainerRuleCodes.ChecksumMismatch, "checksum-mismatch", "Checksum of a member does not match",
        Severity.Low, 354,
        "Reports a zip member whose CRC-32 differs from the one its headers record. The member is still scanned.",
        "`torch.load` does not verify CRCs, so a checkpoint edited in place after it was written (for example to patch " +
        "`data.pkl`) still loads. A wrong checksum is a sign of tampering or corruption.",
        "```\nmodel.pt!archive/data.pkl: CRC-32 0x1c291ca3 recorded, 0x8bb9a5e0 computed\n```",
        "Obtain the file again from its publisher and compare its hash.",
        [ZipAppNote]);

    public static RuleDescriptor NumpyObjectArray { get; } = new(
        ContainerRuleCodes.NumpyObjectArray, "numpy-object-array", "NumPy array of Python objects",
        Severity.Low, 502,
        "Notes a `.npy` (or `.npz` member) with an object dtype: its payload is a pickle, which PickleGuard scans.",
        "`numpy.load(..., allow_pickle=True)` unpickles the payload. Plain numeric arrays never need pickling.",
        "```\nfeatures.npy: dtype '|O' (payload is a pickle)\n```",
        "Store numeric arrays, or strings with a fixed-width dtype (`'<U16'`); keep `allow_pickle=False`.",
        ["https://numpy.org/doc/stable/reference/generated/numpy.load.html"]);

    public static RuleDescriptor MemberLimit { get; } = new(
        ContainerRuleCodes.MemberLimit, "member-limit", "Too many archive members",
        Severity.Medium, 770,
        "Reports an archive with more members than the configured limit. The remaining members are not scanned.",
        "Millions of tiny members exhaust a scanner's time and hide a payload past the point where it stops.",
        "```\ndata.zip: more than 100000 members\n```",
        "Split the archive, or raise the limit for a known-good file.",
        ["https://cwe.mitre.org/data/definitions/770.html"]);
}

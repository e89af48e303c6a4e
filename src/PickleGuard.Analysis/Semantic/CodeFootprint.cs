using PickleGuard.Python;

namespace PickleGuard.Analysis.Semantic;

/// <summary>
/// What one function's code (or a module's top level, class bodies included) reads and writes of object attributes
/// and files, recorded by the <see cref="Binder"/> as it walks the code: the taint engine uses it to pick the
/// functions whose analysis can matter (Taint/RelevantUnits.cs). An over-approximation from syntax alone. The sets
/// are made on their first name (most functions have none).
/// </summary>
internal sealed class CodeFootprint
{
    /// <summary>Methods that put their arguments into the object they are called on (containers, buffers, parsers).</summary>
    public static readonly HashSet<string> Mutators = new(StringComparer.Ordinal)
    {
        "append", "extend", "insert", "add", "update", "write", "writelines", "appendleft", "extendleft", "put", "put_nowait",
        "setdefault", "feed", "read_string", "read_dict",
    };

    /// <summary>
    /// The queue-like mutators: a parameter added by them to a shared variable is a summary entry of the function, so
    /// its callers passing source data write the fact (Taint/FunctionAnalyzer.Variables.cs).
    /// </summary>
    public static readonly HashSet<string> ChannelMethods = new(StringComparer.Ordinal)
    {
        "put", "put_nowait", "append", "appendleft", "extend", "extendleft", "insert",
    };

    // Each collection is made on its first name and grows as an array of exactly its names while it holds at most
    // ListedNames (most code records one or two: an array of one name is 32 bytes, where a list with its first backing
    // array was 88), then as a set, so that code with thousands of names does not search them all for each one added
    // (AddName). Arrays and sets enumerate in the order of first addition.
    private const int ListedNames = 8;
    private ICollection<string>? _receiverReads;
    private ICollection<string>? _receiverWrites;
    private ICollection<string>? _otherWrites;
    private ICollection<string>? _mutatedNames;
    private ICollection<string>? _queuedNames;
    private ICollection<string>? _calledParameters;
    private ICollection<string>? _relayedParameters;
    private ICollection<string>? _extractionDirectories;

    /// <summary>
    /// The function's parameters it calls (<c>fn(payload)</c>) or hands to a call with data after them
    /// (<c>Thread(target=fn, args=args)</c>): a function passed for them is run with data (Taint/ProjectIndex.Invoked.cs).
    /// </summary>
    public IReadOnlyCollection<string> CalledParameters => (IReadOnlyCollection<string>?)_calledParameters ?? [];

    internal void AddCalledParameter(string name) => AddName(ref _calledParameters, name);

    /// <summary>
    /// The function's parameters it passes whole to a call (<c>load_from_path(path, loader=loader)</c>): a project
    /// callee may call them, which only its summary says (Taint/FunctionAnalyzer.ParameterCalls.cs).
    /// </summary>
    public IReadOnlyCollection<string> RelayedParameters => (IReadOnlyCollection<string>?)_relayedParameters ?? [];

    internal void AddRelayedParameter(string name) => AddName(ref _relayedParameters, name);

    /// <summary>
    /// The arguments of <paramref name="call"/> (positionals, then keyword values) that a callee may call with data the
    /// call also passes: those followed by another positional argument, or all when <c>args=</c>/<c>kwargs=</c> is given
    /// (<c>Thread(target=f, args=(data,))</c>, <c>submit(f, data)</c>). The one rule for both sides: a function whose
    /// parameter is handed on so (<see cref="CalledParameters"/>), and a library call handed a project function
    /// (Taint/ProjectIndex.Invoked.cs).
    /// </summary>
    internal static int HandedWithData(CallExpr call)
    {
        var keywords = call.Keywords;
        for (var i = 0; i < keywords.Count; i++) // not foreach: no enumerator per call (this runs for most calls)
        {
            if (keywords[i].Arg is "args" or "kwargs")
            {
                return call.Args.Count + keywords.Count;
            }
        }
        return Math.Max(0, call.Args.Count - 1);
    }

    /// <summary>The argument at <paramref name="i"/> in the order <see cref="HandedWithData"/> counts: positionals, then keyword values.</summary>
    internal static Expr ArgumentAt(CallExpr call, int i) => i < call.Args.Count ? call.Args[i] : call.Keywords[i - call.Args.Count].Value;

    /// <summary>Attributes read on the method's receiver (<c>self.data</c>, <c>self.load()</c>).</summary>
    public IReadOnlyCollection<string> ReceiverReads => (IReadOnlyCollection<string>?)_receiverReads ?? [];

    /// <summary>
    /// Attributes stored into on the method's receiver: assigned (<c>self.data = v</c>, also as a loop, <c>with</c> or
    /// augmented target), an item set (<c>self.items[k] = v</c>) or added by a mutator (<c>self.queue.append(v)</c>).
    /// </summary>
    public IReadOnlyCollection<string> ReceiverWrites => (IReadOnlyCollection<string>?)_receiverWrites ?? [];

    /// <summary>Attributes stored into, in the same ways, on any other object (<c>a.data = v</c>).</summary>
    public IReadOnlyCollection<string> OtherWrites => (IReadOnlyCollection<string>?)_otherWrites ?? [];

    /// <summary>
    /// Names whose object this code changes in place (<c>JOBS.put(v)</c>, <c>CACHE[k] = v</c>, <c>state.JOBS.put(v)</c>,
    /// <c>config.data = v</c>): when the name belongs to an enclosing scope or the module, or denotes another module's
    /// variable or module through an import, that variable's fact gains the data.
    /// </summary>
    public IReadOnlyCollection<string> MutatedNames => (IReadOnlyCollection<string>?)_mutatedNames ?? [];

    /// <summary>
    /// It may write a file at a constant path (<c>x.save(p)</c>, <c>Path(p).write_bytes(d)</c>, <c>open(p, "wb")</c>) or
    /// extract an archive into a directory (<c>tar.extractall(d)</c>).
    /// </summary>
    public bool MaySaveFile { get; private set; }

    internal void AddMutatedName(string name) => AddName(ref _mutatedNames, name);

    /// <summary>
    /// Names a channel method is called on, or on an attribute of (<c>JOBS.put(v)</c>, <c>state.JOBS.append(v)</c>):
    /// only through these can a parameter of the code reach a shared variable by a summary entry.
    /// </summary>
    public IReadOnlyCollection<string> QueuedNames => (IReadOnlyCollection<string>?)_queuedNames ?? [];

    /// <summary>Notes <c>owner.method(...)</c> or <c>owner.attr.method(...)</c> with a mutator method.</summary>
    internal void NoteMutatorCall(string owner, string method)
    {
        AddMutatedName(owner);
        NoteQueued(owner, method);
    }

    private void NoteQueued(string owner, string method)
    {
        if (ChannelMethods.Contains(method))
        {
            AddName(ref _queuedNames, owner);
        }
    }

    private static void AddName(ref ICollection<string>? names, string name)
    {
        switch (names)
        {
            case null:
                names = new[] { name };
                break;
            case string[] listed when Array.IndexOf(listed, name) >= 0:
                break;
            case string[] { Length: ListedNames } full:
                names = new HashSet<string>(full, StringComparer.Ordinal) { name };
                break;
            case string[] listed:
                var grown = new string[listed.Length + 1];
                listed.CopyTo(grown, 0);
                grown[^1] = name;
                names = grown;
                break;
            default:
                names.Add(name); // a set: a name it holds is not added again
                break;
        }
    }

    internal void AddReceiverRead(string attribute) => AddName(ref _receiverReads, attribute);

    /// <summary>
    /// An attribute stored into (<c>a.data = v</c>, <c>a.items[k] = v</c>, <c>a.queue.put(v)</c>): on a plain name other
    /// than the receiver, that name's object changes.
    /// </summary>
    internal void NoteAttributeStore(AttributeExpr stored, bool onReceiver) => NoteAttributeStore(stored.Value, stored.Attr, onReceiver);

    /// <summary>Notes a store of <paramref name="attribute"/> on <paramref name="owner"/> (<c>owner.__dict__["attribute"] = v</c> too).</summary>
    internal void NoteAttributeStore(Expr owner, string attribute, bool onReceiver)
    {
        AddWrite(attribute, onReceiver);
        if (!onReceiver && owner is NameExpr name)
        {
            AddMutatedName(name.Id);
        }
    }

    private void AddWrite(string attribute, bool onReceiver)
    {
        if (onReceiver)
        {
            AddName(ref _receiverWrites, attribute);
        }
        else
        {
            AddName(ref _otherWrites, attribute);
        }
    }

    /// <summary>
    /// Names an archive is extracted into (<c>tar.extractall(path=dest)</c>): when one is a parameter, the callers name
    /// the directory, and write the fact of the files under it through the function's summary.
    /// </summary>
    public IReadOnlyCollection<string> ExtractionDirectories => (IReadOnlyCollection<string>?)_extractionDirectories ?? [];

    /// <summary>
    /// The directory <c>archive.extractall(DIR)</c> or <c>archive.extract(member, DIR)</c> is given (also as
    /// <c>path=</c>), or null when none is written.
    /// </summary>
    internal static Expr? ExtractionDirectory(CallExpr call, string method)
    {
        var position = method == "extractall" ? 0 : 1;
        return position < call.Args.Count ? call.Args[position] : call.Keywords.FirstOrDefault(k => k.Arg == "path")?.Value;
    }

    /// <summary>Notes the writes a call makes: a mutator on an attribute, <c>x.save(p)</c>, <c>p.write_bytes(d)</c>, <c>open(p, mode)</c> with a writing mode.</summary>
    internal void NoteCall(CallExpr call, Func<Expr, bool> isReceiver)
    {
        if (call.Func is AttributeExpr { Attr: "extractall" or "extract" } extraction && ExtractionDirectory(call, extraction.Attr) is NameExpr directory)
        {
            AddName(ref _extractionDirectories, directory.Id);
        }
        switch (call.Func)
        {
            case AttributeExpr { Value: AttributeExpr holder } method when Mutators.Contains(method.Attr):
                NoteAttributeStore(holder, isReceiver(holder.Value));
                if (holder.Value is NameExpr owner)
                {
                    NoteQueued(owner.Id, method.Attr);
                }
                break;
            case AttributeExpr { Attr: "save" or "write_bytes" or "write_text" or "extract" } when call.Args.Count > 0:
            case AttributeExpr { Attr: "extractall" } when call.Args.Count > 0 || call.Keywords.Count > 0:
            case AttributeExpr { Attr: "open" } or NameExpr { Id: "open" } when HasWritingMode(call):
            case AttributeExpr { Attr: "open" } when IsPathOpenForWriting(call):
            case AttributeExpr when FileMoved(call) is not null:
                MaySaveFile = true;
                break;
        }
    }

    /// <summary>
    /// <c>os.rename(src, dst)</c>, <c>os.replace</c>, <c>shutil.move</c>/<c>copy</c>/<c>copyfile</c>/<c>copy2</c>, and
    /// pathlib's <c>src.rename(dst)</c>/<c>src.replace(dst)</c>: the file at <c>dst</c> gets what is at <c>src</c>. Null
    /// for any other call. (A one-argument <c>replace</c> is no <c>str.replace</c>; what the receiver names is only
    /// followed when it is a file this analysis saved to.)
    /// </summary>
    internal static (Expr From, Expr To)? FileMoved(CallExpr call) => call switch
    {
        { Func: AttributeExpr { Attr: "rename" or "replace" or "move" or "copy" or "copyfile" or "copy2", Value: NameExpr { Id: "os" or "shutil" } }, Args.Count: 2 } =>
            (call.Args[0], call.Args[1]),
        { Func: AttributeExpr { Attr: "rename" or "replace", Value: var path }, Args.Count: 1, Keywords.Count: 0 } => (path, call.Args[0]),
        _ => null,
    };

    /// <summary>
    /// <c>Path(p).open("wb")</c> / <c>.open(mode="wb")</c>: the mode comes first, a literal of mode letters only (a
    /// member name such as <c>zf.open("data.txt")</c> is no mode).
    /// </summary>
    internal static bool IsPathOpenForWriting(CallExpr call) =>
        ModeAt(call, 0) is { Length: > 0 and <= 4 } mode && mode.All(c => c is 'r' or 'w' or 'a' or 'x' or 'b' or 't' or '+') && Writes(mode);

    /// <summary>
    /// An <c>open</c>-style call with a literal mode holding 'w', 'a' or 'x' (second argument or <c>mode=</c>): the
    /// taint analysis follows literal modes only (Taint/FunctionAnalyzer.Files.cs).
    /// </summary>
    internal static bool HasWritingMode(CallExpr call) => ModeAt(call, 1) is { } mode && Writes(mode);

    /// <summary>The literal mode given at <paramref name="position"/> or as <c>mode=</c>, else null.</summary>
    private static string? ModeAt(CallExpr call, int position) =>
        (call.Args.Count > position ? call.Args[position] : call.Keywords.FirstOrDefault(k => k.Arg == "mode")?.Value)
            is ConstantExpr { Value: { Type: ConstantType.Str, AsString: { } text } } ? text : null;

    private static bool Writes(string mode) => mode.AsSpan().IndexOfAny("wax") >= 0;
}

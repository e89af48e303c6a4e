using PickleGuard.Analysis.Resolution;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// Files written and read back by a constant path: source data saved to a file (<c>upload.save("model.pkl")</c>,
/// <c>open("model.pkl", "wb").write(data)</c>, a <c>with open(...) as f: f.write(data)</c> handle) is a
/// whole-program fact of that path, and reading the path again (an opener such as <c>open("model.pkl", "rb")</c>, or a
/// sink given the path, <c>torch.load("model.pkl")</c>) yields it. Paths are compared as text once made of constants
/// only: a literal, a name bound once to one, and <c>os.path.join</c>/<c>Path</c>/<c>/</c>/<c>+</c> of those. Within one
/// function, a path held by a local name bound once (or a parameter never rebound) is also followed, as that name:
/// <c>with open(local_path, "wb") as f: f.write(resp.content)</c> then <c>open(local_path, "rb")</c> (mlflow's download
/// helpers); it is no fact of the program, since another function's name says nothing of the same file.
/// </summary>
internal sealed partial class FunctionAnalyzer
{
    private const int MaxPathDepth = 4;

    /// <summary>Starts the key of a path held by a local name (<see cref="LocalPath"/>): no real path starts so.</summary>
    private const char LocalPathMark = '\0';

    /// <summary>
    /// What this analysis saved to the files local names hold (key from <see cref="LocalPath"/>), and put into the
    /// directories they hold (the <see cref="DirectoryKey"/> of that key, as for constant directories).
    /// </summary>
    private Dictionary<string, TaintValue>? _localSaves;

    /// <summary>Local names holding a file opened for writing at a constant path (name → path).</summary>
    private Dictionary<string, string>? _writeHandles;

    /// <summary>
    /// What the file at <paramref name="expr"/>'s constant path holds, if it names one: what was saved there, and what was
    /// extracted into a directory above it.
    /// </summary>
    private TaintValue SavedFileAt(Expr? expr, Node at)
    {
        if (expr is null)
        {
            return TaintValue.Clean;
        }
        if (ConstantPath(expr) is not { } path)
        {
            return SavedAtLocalPath(expr, at);
        }
        var saved = CheckedFile(path, ReadSavedFact(path).Join(SavedInDirectories(path)));
        return saved.IsClean ? saved : saved.Step(_module, at.Span.Start, $"read back from '{path}'");
    }

    /// <summary>What was put into the directories above the constant path <paramref name="path"/>: the working directory's for a relative one.</summary>
    private TaintValue SavedInDirectories(string path)
    {
        var saved = TaintValue.Clean;
        for (var slash = path.Length > 1 ? path.IndexOf('/', 1) : -1; slash > 0; slash = path.IndexOf('/', slash + 1))
        {
            saved = saved.Join(ReadSavedFact(DirectoryKey(path[..slash])));
        }
        if (Detection.WorkingDirectory.IsRelative(path))
        {
            saved = saved.Join(ReadSavedFact(WorkingDirectoryKey));
        }
        return saved;
    }

    /// <summary>
    /// What this function saved to the file a local name holds (<see cref="LocalPath"/>): read back by that name, or
    /// returned as the path (fairseq's <c>cached_path</c> downloads into a path it computes and returns it, which its
    /// caller loads).
    /// </summary>
    private TaintValue SavedAtLocalPath(Expr expr, Node at, string use = "read back from") =>
        _localSaves is not null && LocalPath(expr) is { } local && SavedAtKey(local) is { IsClean: false } written
            ? CheckedFile(local, written).Step(_module, at.Span.Start, $"{use} the file at '{local[1..]}'")
            : SavedAtValuePath(expr, at, use) is { IsClean: false } value ? value
            : SavedInLocalDirectory(expr, at);

    /// <summary>What this analysis saved at the path <paramref name="expr"/> names, a local name's or a constant one, for a <c>return</c> of that path.</summary>
    private TaintValue SavedAtReturnedPath(Expr expr, Node at) =>
        _localSaves is null ? SavedAtModulePath(expr, at, "the path returned names")
            : ConstantPath(expr) is { } path
                ? _localSaves.GetValueOrDefault(path) is { IsClean: false } written ? CheckedFile(path, written).Step(_module, at.Span.Start, $"the path returned names '{path}'") : TaintValue.Clean
                : SavedAtLocalPath(expr, at, "the path returned names");

    /// <summary>The fact of the files under a directory (its path without a trailing slash, marked so no file's path is it).</summary>
    private static string DirectoryKey(string directory) => directory.TrimEnd('/') + "/*";

    /// <summary>
    /// The fact of the files under the working directory, which every relative path names: an archive extracted there
    /// may hold any of them (a member's name is the archive's choice).
    /// </summary>
    private static readonly string WorkingDirectoryKey = DirectoryKey(".");

    /// <summary>
    /// <c>archive.extractall(DIR)</c> / <c>archive.extract(member, DIR)</c> (tar and zip files): what the archive object
    /// holds lands in every file under that directory (<see cref="ExtractInto"/>); with none (<c>extractall()</c>), under
    /// the working directory (flytekit extracts its fast-registration tarball there, then opens <c>"pkl.gz"</c>).
    /// </summary>
    private void ExtractIntoDirectory(CallExpr call, string method, TaintValue archive)
    {
        if (archive.IsClean)
        {
            return;
        }
        var directory = Semantic.CodeFootprint.ExtractionDirectory(call, method);
        // Only `extractall()` defaults to the working directory here: `extract(x)` is also a name of text and tree
        // libraries' methods (pandas' `str.extract(pattern)`, BeautifulSoup's `tag.extract()`).
        if (directory is not null || method == "extractall" && call.Args.Count == 0)
        {
            ExtractInto(directory, archive, call, null);
        }
    }

    /// <summary>
    /// What <paramref name="archive"/> holds extracted at <paramref name="call"/> into the directory
    /// <paramref name="directory"/> names (null: the working directory), by this function or by the project function
    /// <paramref name="helper"/> it calls (its <see cref="FunctionSummary.Extracts"/>): under the working directory (it
    /// may be <c>"."</c>, <c>os.getcwd()</c>, <c>Path.cwd()</c>, or a parameter falling back to one) every relative path
    /// may hold it; under a constant directory, every path below it; a parameter's directory is its callers' to name.
    /// </summary>
    private void ExtractInto(Expr? directory, TaintValue archive, CallExpr call, string? helper, string action = "extracted into")
    {
        var by = helper is null ? "" : $" by '{helper}'";
        if (directory is null || MayBeWorkingDirectory(directory, call))
        {
            WriteSavedFact(WorkingDirectoryKey, archive.Step(_module, call.Span.Start, $"{action} the working directory{by}"));
            return;
        }
        if (ConstantPath(directory) is { } path)
        {
            WriteSavedFact(DirectoryKey(path), archive.Step(_module, call.Span.Start, $"{action} '{path}'{by}"));
            return;
        }
        if (ModulePath(directory) is { } shared)
        {
            PutInModuleDirectory(shared, archive, call, action, by);
        }
        if (LocalPath(directory) is [LocalPathMark, ..] local && !archive.IsClean)
        {
            // Read back below by a path joined onto the same local name (SavedInLocalDirectory).
            _localSaves ??= new(StringComparer.Ordinal);
            var key = DirectoryKey(local);
            _localSaves[key] = _localSaves.GetValueOrDefault(key, TaintValue.Clean)
                .Join(archive.Step(_module, call.Span.Start, $"{action} the directory '{local[1..]}'{by}"));
        }
        if (directory is NameExpr name && ForParameter(name.Id, archive) is var (parameter, kept))
        {
            _unit.OwnSummary.AddExtract(parameter, kept.Step(_module, call.Span.Start, $"{action} the directory '{name.Id}'{by}"));
        }
    }

    /// <summary>
    /// What this analysis put into the directory a local name holds (<see cref="ExtractInto"/>), read back by a path joined
    /// onto that name: <c>hf_hub_download(repo, "tok.pth", local_dir=d)</c>, then <c>torch.load(os.path.join(d, "tok.pth"))</c>;
    /// also by an entry of its listing (FunctionAnalyzer.DirectoryListings.cs), which reads a constant directory's facts too;
    /// failing those, what any function put at or above the path module variables hold (<see cref="SavedAtModulePath"/>).
    /// </summary>
    private TaintValue SavedInLocalDirectory(Expr expr, Node at)
    {
        var read = expr;
        for (var depth = 0; depth < MaxPathDepth && ParentDirectory(SamePath(expr)) is { } directory; depth++)
        {
            if (_localSaves is not null && LocalPath(directory) is { } local && _localSaves.GetValueOrDefault(DirectoryKey(local)) is { IsClean: false } written)
            {
                return written.Step(_module, at.Span.Start, $"read back from a file in '{local[1..]}'");
            }
            if (expr is NameExpr && ConstantPath(directory) is { } path && SavedInDirectories(path + "/") is { IsClean: false } listed)
            {
                return listed.Step(_module, at.Span.Start, $"read back from a file in '{path}'");
            }
            expr = directory;
        }
        return SavedAtModulePath(read, at, "read back from");
    }

    /// <summary>
    /// The directory part of a joined path: the first part of <c>os.path.join(d, ...)</c> or <c>Path(d, ...)</c>, the left
    /// of <c>d / name</c>, the directory listed for a local name bound to an entry of a listing (<see cref="ListedDirectory"/>).
    /// </summary>
    private Expr? ParentDirectory(Expr path) => path switch
    {
        CallExpr { Keywords.Count: 0, Args.Count: > 1 } call when IsPathJoin(call) => call.Args[0],
        BinOpExpr { Op: BinaryOperator.Div } division => division.Left,
        NameExpr name => ListedDirectory(name),
        _ => null,
    };

    /// <summary>
    /// A call joining its arguments into one path: <c>os.path.join(...)</c> however the module or the function is
    /// imported (<c>osp.join</c> under <c>import os.path as osp</c>, <c>posixpath.join</c>, <c>from os.path import
    /// join</c>), or <c>Path(...)</c>. Used both for the constant paths of saved files and for the directory of a path.
    /// </summary>
    private bool IsPathJoin(CallExpr call) => call.Func switch
    {
        AttributeExpr { Attr: "join", Value: AttributeExpr { Attr: "path" } } or NameExpr { Id: "Path" } or AttributeExpr { Attr: "Path" } => true,
        AttributeExpr { Attr: "join" } or NameExpr { Id: "join" } => ResolvesToPathJoin(call),
        _ => false,
    };

    private static readonly HashSet<string> PathJoins = new(StringComparer.Ordinal) { "os.path.join", "posixpath.join", "ntpath.join" };

    private bool ResolvesToPathJoin(CallExpr call) => ResolvesToAll(call, PathJoins);

    /// <summary>Whether every callee <paramref name="call"/> resolves to is one of the library functions <paramref name="apis"/>.</summary>
    private bool ResolvesToAll(CallExpr call, HashSet<string> apis) => _module.CallSiteOf(call) is { } site && ResolvesToAll(call, apis, EvalContext.At(site));

    /// <summary>As <see cref="ResolvesToAll(CallExpr, HashSet{string})"/> for a call evaluated at <paramref name="context"/> (in any module).</summary>
    private bool ResolvesToAll(CallExpr call, HashSet<string> apis, EvalContext context) =>
        _program.Resolver.Resolve(call.Func, context) is { Count: > 0 } callees && callees.All(callee => callee is ApiValue { Path: var path } && apis.Contains(path));

    /// <summary>
    /// The working directory (<see cref="IsWorkingDirectory"/>), or a parameter falling back to it: flytekit's <c>if not
    /// dest_dir: dest_dir = os.getcwd()</c> before the call that extracts there (every binding reaching
    /// <paramref name="at"/> is the parameter or the working directory; what the callers pass is theirs to name). A
    /// directory computed otherwise beside it (the standard library's <c>tarfile</c> command line takes it from its
    /// arguments or <c>os.curdir</c>) is not taken for the working directory.
    /// </summary>
    private bool MayBeWorkingDirectory(Expr directory, CallExpr at)
    {
        if (IsWorkingDirectory(directory, at))
        {
            return true;
        }
        if (directory is not NameExpr name || _module.CallSiteOf(at) is not { } site)
        {
            return false;
        }
        var fallsBack = false;
        foreach (var binding in _program.Resolver.ReachingBindings(name.Id, EvalContext.At(site)))
        {
            if (binding is { Kind: Semantic.BindingKind.Assignment, Value: { } value } && IsWorkingDirectory(value, at))
            {
                fallsBack = true;
            }
            else if (binding.Kind != Semantic.BindingKind.Parameter || binding.Scope != _unit.Scope)
            {
                return false;
            }
        }
        return fallsBack;
    }

    /// <summary><c>"."</c>, <c>os.getcwd()</c>, <c>Path.cwd()</c>, <c>os.curdir</c>, or a name bound once to one of them.</summary>
    private bool IsWorkingDirectory(Expr directory, CallExpr at)
    {
        if (directory is NameExpr name && ValueBoundOnce(name) is { } value)
        {
            directory = value;
        }
        if (directory is ConstantExpr { Value.AsString: "." or "./" })
        {
            return true;
        }
        if (directory is not (CallExpr { Args.Count: 0 } or AttributeExpr { Attr: "curdir" }) || _module.CallSiteOf(at) is not { } site)
        {
            return false;
        }
        var named = directory is CallExpr call ? call.Func : directory;
        return _program.Resolver.Resolve(named, EvalContext.At(site)).Any(resolved =>
            resolved is ApiValue { Path: "os.getcwd" or "os.getcwdb" or "pathlib.Path.cwd" or "os.curdir" or "os.path.curdir" });
    }

    private void SaveToFile(string path, TaintValue data, Node at)
    {
        if (data.IsClean)
        {
            return;
        }
        ForgetCheckedFile(path);
        var local = path[0] == LocalPathMark;
        var saved = data.Step(_module, at.Span.Start, local ? $"saved to the file at '{path[1..]}'" : $"saved to '{path}'");
        // Kept for this analysis too: a function returning the path it saved to returns the data with it.
        _localSaves ??= new(StringComparer.Ordinal);
        _localSaves[path] = _localSaves.GetValueOrDefault(path, TaintValue.Clean).Join(saved);
        if (_boundPaths?.GetValueOrDefault(path) is { } bound)
        {
            _localSaves[bound] = _localSaves.GetValueOrDefault(bound, TaintValue.Clean).Join(saved);
        }
        if (local)
        {
            NoteSave(path[1..], saved);
            NotePathSave(path, saved);
            return;
        }
        WriteSavedFact(path, saved);
    }

    /// <summary>
    /// Logs a saved-file fact (a path's or a directory's, <see cref="SavedFiles"/>) for the whole program and for each
    /// place of this module (<see cref="SavedFiles.PlacesOf"/>), read back nearest first by <see cref="ReadSavedFact"/>.
    /// </summary>
    private void WriteSavedFact(string name, TaintValue saved)
    {
        _program.WriteGlobal(new GlobalKey(SavedFiles.Owner, name), saved);
        foreach (var place in SavedFiles.PlacesOf(_module.Path))
        {
            _program.WriteGlobal(new GlobalKey(SavedFiles.Owner, SavedFiles.AtPlace(name, place)), saved);
        }
    }

    /// <summary>
    /// What is saved under the fact <paramref name="name"/>, each source with the trace of the save nearest this module:
    /// one in its own file, then in its directory, then in the directories above, then any (a value keeps the first
    /// trace per source). Several scripts saving the same relative path (sentence-transformers' ms_marco trainings each
    /// download the same scores file) are each shown their own save, not whichever was analysed first.
    /// </summary>
    private TaintValue ReadSavedFact(string name)
    {
        var anywhere = _program.ReadGlobal(new GlobalKey(SavedFiles.Owner, name));
        if (anywhere.IsClean)
        {
            return anywhere; // no place has it either; a save there changes this key too, and runs this analysis again
        }
        var nearest = TaintValue.Clean;
        foreach (var place in SavedFiles.PlacesOf(_module.Path))
        {
            nearest = nearest.Join(_program.ReadGlobal(new GlobalKey(SavedFiles.Owner, SavedFiles.AtPlace(name, place))));
        }
        return nearest.Join(anywhere);
    }

    /// <summary>A constant path, or the key of a path a local name holds (<see cref="LocalPath"/>).</summary>
    private string? FilePath(Expr expr) => ConstantPath(expr) ?? LocalPath(expr);

    /// <summary>
    /// The key of the file a write handle's <c>name</c> names (<c>tmp.name</c>, for a handle bound by
    /// <see cref="BindWriteHandle"/>) when it is a local one: the path a local name holds, or a temporary file's own key.
    /// </summary>
    private string? HandlePath(Expr expr) =>
        expr is AttributeExpr { Attr: "name", Value: NameExpr handle } && _writeHandles is not null
            && _writeHandles.TryGetValue(handle.Id, out var path) && path[0] == LocalPathMark
            ? path
            : null;

    /// <summary>
    /// The key of the file <paramref name="expr"/> names when it is a local name bound once in this function, or a
    /// parameter it never rebinds — the same name is then the same path wherever the function uses it — or a name
    /// bound more than once, keyed by the run of bindings that may reach this use (<see cref="RebindingRunKey"/>), or a
    /// path built the same way from such names and literals (<c>os.path.join(root, "molecules.pkl")</c>, written by a helper
    /// and rebuilt to read it: PyG's datasets). Null otherwise.
    /// </summary>
    private string? LocalPath(Expr expr)
    {
        if (_unit.Function is null)
        {
            return null;
        }
        if (LocalPathKey(expr, 0) is not (var text, true))
        {
            return HandlePath(expr);
        }
        var key = LocalPathMark + text;
        NoteTemplate(key, expr);
        NoteBoundPath(key, expr);
        return key;
    }

    /// <summary>The text of a path made of local names (<see cref="LocalNameKey"/>) and literals, and whether it names a local at all.</summary>
    private (string Text, bool Named)? LocalPathKey(Expr expr, int depth) => PathKey(expr, depth, _localNameKey);

    /// <summary>Keys a leaf of a path (<see cref="PathKey"/>): a name, or whatever else the keying follows; null when it cannot.</summary>
    private delegate (string Text, bool Named)? LeafKey(Expr leaf, int depth);

    /// <summary><see cref="LocalNameKey"/> as a delegate, made once per analyzer.</summary>
    private readonly LeafKey _localNameKey;

    /// <summary>
    /// A local name bound once in this function, as itself: the same name is then the same path wherever the function
    /// uses it; one bound more than once, by the run of bindings that may reach this use (<see cref="RebindingRunKey"/>);
    /// a module variable only the module's top level sets (<see cref="IsModuleVariableSetAtImport"/>), as itself.
    /// </summary>
    private (string Text, bool Named)? LocalNameKey(Expr leaf, int depth) =>
        leaf is not NameExpr name ? null
            : !IsLocal(name.Id) ? (IsModuleVariableSetAtImport(name.Id) ? (name.Id, true) : null)
            : _unit.Scope.BindingsOf(name.Id).Count == 1 ? (name.Id, true)
            : RebindingRunKey(name) is { } run ? (run, true)
            : null;

    /// <summary>
    /// The path as a template of this function's parameters, each as its slot (<see cref="ParameterSlot"/>): what a
    /// caller's arguments make of it (FunctionAnalyzer.SavedPaths.cs).
    /// </summary>
    private (string Text, bool Named)? TemplateKey(Expr expr, int depth) => PathKey(expr, depth, _parameterSlotKey);

    /// <summary><see cref="ParameterSlotKey"/> as a delegate, made once per analyzer.</summary>
    private readonly LeafKey _parameterSlotKey;

    /// <summary>A local name bound once to a parameter, as the parameter's slot; one bound once to a path, as that path's template.</summary>
    private (string Text, bool Named)? ParameterSlotKey(Expr leaf, int depth) =>
        leaf is not NameExpr name || !IsLocal(name.Id) || _unit.Scope.BindingsOf(name.Id).Count != 1 ? null
            : ParameterHolding(name.Id) is { } parameter ? (ParameterSlot(parameter), true)
            : ValueBoundOnce(name) is { } value ? TemplateKey(value, depth + 1)
            : null;

    /// <summary>
    /// The text of a path made of literals and leaves <paramref name="leafKey"/> keys (joined by <c>+</c>, <c>/</c>,
    /// <c>os.path.join</c>/<c>Path</c> or an f-string), and whether it names a leaf at all.
    /// </summary>
    private (string Text, bool Named)? PathKey(Expr expr, int depth, LeafKey leafKey)
    {
        if (depth > MaxPathDepth)
        {
            return null;
        }
        switch (SamePath(expr))
        {
            case ConstantExpr { Value: { Type: ConstantType.Str, AsString: { } text } }:
                return ($"'{text}'", false);
            case BinOpExpr { Op: BinaryOperator.Add or BinaryOperator.Div } binary
                when PathKey(binary.Left, depth + 1, leafKey) is var (left, leftNamed)
                    && PathKey(binary.Right, depth + 1, leafKey) is var (right, rightNamed):
                return ($"{left} {(binary.Op == BinaryOperator.Add ? '+' : '/')} {right}", leftNamed || rightNamed);
            case CallExpr { Keywords.Count: 0, Args.Count: > 0 } call when IsPathJoin(call):
                var parts = new List<string>();
                var named = false;
                foreach (var argument in call.Args)
                {
                    if (PathKey(argument, depth + 1, leafKey) is not var (part, partNamed))
                    {
                        return null;
                    }
                    parts.Add(part);
                    named |= partNamed;
                }
                return ($"join({string.Join(", ", parts)})", named);
            case JoinedStrExpr formatted:
                return FormattedPathKey(formatted, depth, leafKey);
            case NameExpr name when !IsLocal(name.Id) && ConstantPath(name, depth + 1) is { } constant:
                // A module's constant (`MODELS = "/srv/models"`) is the same path wherever it is named.
                return ($"'{constant}'", false);
            case SubscriptExpr subscript when CutPathKey(subscript, depth, leafKey) is { } cut:
                return cut;
            case var leaf:
                return leafKey(leaf, depth);
        }
    }

    /// <summary>
    /// A variable of this function's module that only the module's top level assigns (bark's <c>CACHE_DIR =
    /// os.path.join(os.getenv(...), "suno", "bark_v0")</c>): set at import, before any function runs, so within one
    /// analysis the same name is the same path, as a local bound once is (a literal one is a constant path already,
    /// known to every function). Not one a function rebinds (<c>global</c>) or a loop binds.
    /// </summary>
    private bool IsModuleVariableSetAtImport(string name)
    {
        if (_unit.Function is null || _unit.Scope.ScopeBinding(name) != _module.ModuleScope || _module.MutatedNames.Contains(name))
        {
            return false;
        }
        var bindings = _module.ModuleScope.BindingsOf(name);
        foreach (var binding in bindings)
        {
            if (binding is not { Kind: Semantic.BindingKind.Assignment, Augments: false } || binding.ExecutingScope != _module.ModuleScope)
            {
                return false;
            }
        }
        return bindings.Count > 0;
    }

    /// <summary>
    /// The key of a local name bound more than once at this use: the bindings from one unconditional binding (in the
    /// function's own block, not <c>+=</c>) to the next are one path, since any binding that may reach a use between them
    /// is one of them (<see cref="ValueResolver.ReachingBindings"/>: an unconditional binding replaces all before it).
    /// A write through the name and a read of it whose reaching bindings meet are then keyed alike: fairseq's
    /// <c>get_from_cache</c> may replace <c>cache_path</c> in a branch before the download is written to it, and returns
    /// it. The first run is keyed by the name, a later one by the name and its binding's line. Null for a use before every
    /// binding (a loop's: all of them reach) when there are several runs.
    /// </summary>
    private string? RebindingRunKey(NameExpr name)
    {
        var bindings = _unit.Scope.BindingsOf(name.Id);
        var first = int.MaxValue;
        foreach (var binding in bindings)
        {
            first = Math.Min(first, binding.Offset);
        }
        var use = name.Span.Start;
        Semantic.Binding? start = null;
        var runs = 1;
        foreach (var binding in bindings)
        {
            if (binding.Offset == first || binding.Augments || binding.ExecutingScope != _unit.Scope || binding.Blocks.Id != _unit.Scope.Body.Id)
            {
                continue;
            }
            runs++;
            if (binding.Offset <= use && (start is null || binding.Offset > start.Offset))
            {
                start = binding;
            }
        }
        return use < first && runs > 1 ? null
            : start is null ? name.Id
            : $"{name.Id} (bound on line {Line(start.Node)})";
    }

    /// <summary>
    /// <c>f"{name}.pkl"</c>: an f-string of literal text and path keys, each placed as is (no conversion or format),
    /// keyed by its parts: the same literal text around the same names is the same path (pycaret's
    /// <c>download_file(key, f"{model_name}.pkl")</c>, then <c>joblib.load(f"{model_name}.pkl")</c>).
    /// </summary>
    private (string Text, bool Named)? FormattedPathKey(JoinedStrExpr formatted, int depth, LeafKey leafKey)
    {
        var text = new System.Text.StringBuilder("f\"");
        var named = false;
        foreach (var part in formatted.Values)
        {
            switch (part)
            {
                case ConstantExpr { Value: { Type: ConstantType.Str, AsString: { } literal } }:
                    text.Append(literal);
                    break;
                case FormattedValueExpr { Conversion: -1, FormatSpec: null } value when PathKey(value.Value, depth + 1, leafKey) is var (key, keyNamed):
                    text.Append('{').Append(key).Append('}');
                    named |= keyNamed;
                    break;
                default:
                    return null;
            }
        }
        return (text.Append('"').ToString(), named);
    }

    /// <summary>
    /// The path <paramref name="expr"/> names the same file as: the operand of <c>str(p)</c>, <c>os.fspath(p)</c>,
    /// <c>p.as_posix()</c>, <c>Path(p)</c> and <c>f"{p}"</c> (flair's <c>shutil.copyfile(temp_filename,
    /// str(cache_path))</c>, then <c>return cache_path</c>), else <paramref name="expr"/> itself.
    /// </summary>
    private static Expr SamePath(Expr expr)
    {
        while (true)
        {
            switch (expr)
            {
                case CallExpr { Args: [var operand], Keywords.Count: 0, Func: NameExpr { Id: "str" or "Path" } or AttributeExpr { Attr: "fspath", Value: NameExpr { Id: "os" } }
                    or AttributeExpr { Attr: "Path" } }:
                    expr = operand;
                    break;
                case CallExpr { Args.Count: 0, Keywords.Count: 0, Func: AttributeExpr { Attr: "as_posix", Value: var path } }:
                    expr = path;
                    break;
                case JoinedStrExpr { Values: [FormattedValueExpr { Conversion: -1, FormatSpec: null, Value: var formatted }] }:
                    expr = formatted;
                    break;
                default:
                    return expr;
            }
        }
    }

    /// <summary>
    /// A download's data written to <paramref name="file"/>: a constant path (<c>s3.download_file(b, k, MODEL)</c>), a
    /// handle opened for writing at one (<c>with open(MODEL, "wb") as f: s3.download_fileobj(b, k, f)</c>), or a file
    /// object in a local (<c>buf = io.BytesIO(); s3.download_fileobj(b, k, buf)</c>), which then holds the data too —
    /// as <c>buf.write(data)</c> would make it.
    /// </summary>
    private void SaveDownload(Expr file, TaintValue data, Node at)
    {
        if (ConstantPath(file) is null && WriteTarget(file) is { } handle)
        {
            SaveToFile(handle, data, at);
        }
        else
        {
            SaveToPath(file, data, at);
        }
        if (file is NameExpr local && !data.IsClean)
        {
            FillLocal(local.Id, data.Step(_module, at.Span.Start, $"written into '{local.Id}'"));
        }
    }

    /// <summary>
    /// <c>x.save(path)</c> (an uploaded file, a buffer), <c>open(path, "wb").write(data)</c> and
    /// <c>Path(path).write_bytes(data)</c>.
    /// </summary>
    private void TrackFileWrites(CallExpr call, AttributeExpr method, TaintValue receiver, TaintValue[] positional)
    {
        if (method.Attr is "extractall" or "extract")
        {
            ExtractIntoDirectory(call, method.Attr, receiver.Data);
            return;
        }
        if (positional.Length == 0)
        {
            return;
        }
        if (method.Attr == "save")
        {
            SaveToPath(call.Args[0], receiver.Data, call);
        }
        else if (method.Attr is "write" or "writelines" && WriteTarget(method.Value) is { } written)
        {
            SaveToFile(written, positional[0].Data, call);
        }
        else if (method.Attr is "write_bytes" or "write_text" && ConstantPath(method.Value) is { } target)
        {
            SaveToFile(target, positional[0].Data, call);
        }
    }

    /// <summary>The constant path a write goes to: a handle bound by <see cref="BindWriteHandle"/>, or <c>open(path, "wb")</c> itself.</summary>
    private string? WriteTarget(Expr handle) => handle switch
    {
        NameExpr name when _writeHandles is not null && _writeHandles.TryGetValue(name.Id, out var path) => path,
        CallExpr opener => WrittenPath(opener),
        _ => null,
    };

    /// <summary>
    /// Keeps or forgets that <paramref name="name"/> is a write handle, as it is (re)bound to <paramref name="value"/>.
    /// A named temporary file (<c>tmp = tempfile.NamedTemporaryFile(delete=False)</c>) is a handle of a file of its
    /// own, keyed by the handle's name within this function: what is written to it is at <c>tmp.name</c>, which is
    /// then moved into place or read back (<see cref="HandlePath"/>).
    /// </summary>
    private void BindWriteHandle(string name, Expr? value)
    {
        if (value is CallExpr call && (WrittenPath(call) ?? TemporaryFilePath(name, call)) is { } path)
        {
            (_writeHandles ??= new(StringComparer.Ordinal))[name] = path;
        }
        else
        {
            _writeHandles?.Remove(name);
        }
    }

    /// <summary>The constant path of <c>open(path, "wb")</c> (any mode that writes), else null.</summary>
    private string? WrittenPath(CallExpr call) => call.Func switch
    {
        // `open(P, "wb")`, and the openers that also take URLs (`fsspec.open(P, "wb")`, PyG's download_url).
        NameExpr { Id: "open" } or AttributeExpr { Attr: "open", Value: NameExpr { Id: "io" or "fsspec" or "smart_open" } } =>
            Semantic.CodeFootprint.HasWritingMode(call) && call.Args.Count > 0 ? FilePath(call.Args[0]) : null,
        // `Path(P).open("wb")`: the receiver is the path.
        AttributeExpr { Attr: "open", Value: var path } when Semantic.CodeFootprint.IsPathOpenForWriting(call) => FilePath(path),
        _ => null,
    };

    /// <summary>The key of the file a named temporary file bound to <paramref name="handle"/> makes, in a function; else null.</summary>
    private string? TemporaryFilePath(string handle, CallExpr call) =>
        _unit.Function is not null && call.Func is NameExpr { Id: "NamedTemporaryFile" } or AttributeExpr { Attr: "NamedTemporaryFile", Value: NameExpr { Id: "tempfile" } }
            ? $"{LocalPathMark}{handle}.name"
            : null;

    /// <summary>
    /// A file moved or copied (<see cref="Semantic.CodeFootprint.FileMoved"/>) holds at its new path what was saved at the
    /// old one (ClearML downloads to a temporary name, then renames it); a directory moved, what its files held under the
    /// new one (nerfstudio renames the one folder its download's archive extracted into place).
    /// </summary>
    private void TrackFileMoves(CallExpr call)
    {
        if (Semantic.CodeFootprint.FileMoved(call) is not var (from, to))
        {
            return;
        }
        if (SavedFileAt(from, call) is { IsClean: false } moved)
        {
            SaveToPath(to, moved, call);
        }
        if (FilesUnder(from, call) is { IsClean: false } files)
        {
            ExtractInto(to, files, call, null, "moved into");
        }
    }

    /// <summary>
    /// The text of a path made of constants only (see the type's summary), else null; null too for the empty path, which
    /// names no file (<c>open("")</c> raises): a file's key is never empty (<see cref="SaveToFile"/> reads its first
    /// character; web2py's <c>FPDF().output("")</c> made one).
    /// </summary>
    private string? ConstantPath(Expr expr) => ConstantPath(expr, 0) is { Length: > 0 } path ? path : null;

    /// <summary>The text of a path made of constants only, or of a part of one (possibly empty), else null.</summary>
    private string? ConstantPath(Expr expr, int depth)
    {
        if (depth > MaxPathDepth)
        {
            return null;
        }
        switch (SamePath(expr))
        {
            case ConstantExpr { Value.Type: ConstantType.Str } constant:
                return constant.Value.AsString;
            case NameExpr name:
                return ValueBoundOnce(name) is { } value ? ConstantPath(value, depth + 1) : null;
            case BinOpExpr { Op: BinaryOperator.Div } division:
                return JoinPath([division.Left, division.Right], depth);
            case BinOpExpr { Op: BinaryOperator.Add } concatenation:
                return ConstantPath(concatenation.Left, depth + 1) is { } left && ConstantPath(concatenation.Right, depth + 1) is { } right
                    ? left + right
                    : null;
            case CallExpr { Keywords.Count: 0 } call when IsPathJoin(call):
                return JoinPath(call.Args, depth);
            case JoinedStrExpr formatted:
                return FormattedPath(formatted, depth);
            case SubscriptExpr cut:
                return CutConstantPath(cut, depth);
            default:
                return null;
        }
    }

    /// <summary><c>f"{MODELS}/model.pkl"</c>: an f-string of literal text and constant paths, each placed as is (no conversion or format).</summary>
    private string? FormattedPath(JoinedStrExpr formatted, int depth)
    {
        var text = new System.Text.StringBuilder();
        foreach (var part in formatted.Values)
        {
            var piece = part switch
            {
                ConstantExpr { Value.Type: ConstantType.Str } literal => literal.Value.AsString,
                FormattedValueExpr { Conversion: -1, FormatSpec: null } value => ConstantPath(value.Value, depth + 1),
                _ => null,
            };
            if (piece is null)
            {
                return null;
            }
            text.Append(piece);
        }
        return text.Length == 0 ? null : text.ToString();
    }

    /// <summary><c>os.path.join</c> and <c>Path</c> of constant parts: an empty part adds nothing (<c>os.path.join("", "m.pkl")</c> is <c>"m.pkl"</c>).</summary>
    private string? JoinPath(IReadOnlyList<Expr> parts, int depth)
    {
        var texts = new List<string>(parts.Count);
        foreach (var part in parts)
        {
            if (ConstantPath(part, depth + 1) is not { } text)
            {
                return null;
            }
            if (text.Length > 0)
            {
                texts.Add(text);
            }
        }
        return parts.Count == 0 ? null : string.Join('/', texts);
    }
}

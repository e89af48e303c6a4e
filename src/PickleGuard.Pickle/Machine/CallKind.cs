namespace PickleGuard.Pickle.Machine;

/// <summary>How the unpickler would call a callable.</summary>
public enum CallKind : byte
{
    /// <summary>REDUCE: <c>callable(*args)</c>.</summary>
    Reduce,
    /// <summary>NEWOBJ: <c>cls.__new__(cls, *args)</c>.</summary>
    NewObj,
    /// <summary>NEWOBJ_EX: <c>cls.__new__(cls, *args, **kwargs)</c>.</summary>
    NewObjEx,
    /// <summary>OBJ: <c>cls(*args)</c> (or <c>cls.__new__</c> for an empty-args class).</summary>
    Obj,
    /// <summary>INST: <c>module.name(*args)</c>.</summary>
    Inst,
    /// <summary>PERSID/BINPERSID: the application's <c>persistent_load(pid)</c>.</summary>
    PersistentLoad,
    /// <summary>EXT1/2/4: a global looked up in the copyreg extension registry.</summary>
    Extension,
    /// <summary>BUILD: <c>obj.__setstate__(state)</c> or attribute assignment.</summary>
    Build,
    /// <summary>APPEND/APPENDS/SETITEM(S)/ADDITEMS on an object that is not a plain container: a method call.</summary>
    Mutate,
}

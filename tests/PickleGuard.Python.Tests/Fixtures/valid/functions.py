@decorator
@dec.attr(arg)
@(lambda f: f)
@x[0].y
def f(a, b: int = 1, /, c=2, *args: str, d, e=3, **kwargs) -> None:
    """Docstring."""
    nonlocal_ = 1
    return a

async def g(*, a, b=1):
    await x
    async for i in y:
        pass
    async with z as w:
        pass
    return [i async for i in y]

def h(*args, **kw): return *args, kw

class C(Base, metaclass=Meta, **extra):
    x: int = 1

    def method(self):
        def inner():
            nonlocal x
            global y
        yield
        yield x
        yield from y
        x = yield
        return

def generic[T, U: int, *Ts, **P](x: T) -> U: pass
class G[T: (int, str) = int, *Ts = *tuple[int], **P = [int]]: pass
type Alias = int
type ListOf[T] = list[T]
lambda: 0
lambda x, /, y=1, *a, z, **k: x
lambda *, k: k

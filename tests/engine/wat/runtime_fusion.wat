;; The compiler's fused instructions (engine/interpreter_ops.h): each function is written the way
;; clang emits the pattern, so that it compiles to the fused form; tests/engine/fusion_test.cpp
;; checks the results against the same computations in C++, and that the fused loop back-edges
;; stop for fuel and resume without doing their add twice.
(module
  (memory (export "memory") 1)

  ;; sum of n, n-1, ..., 1: the induction step fused with its compare-and-branch back-edge
  ;; (I32AddThenJumpIfI32NeLoop), whose compare reads the slot the add just wrote.
  (func (export "count_down") (param $n i32) (result i32) (local $acc i32)
    (loop $next
      (local.set $acc (i32.add (local.get $acc) (local.get $n)))
      (br_if $next (i32.ne (local.tee $n (i32.add (local.get $n) (i32.const -1))) (i32.const 0))))
    (local.get $acc))

  ;; the same on i64 with an unsigned compare (I64AddThenJumpIfI64LtULoop)
  (func (export "sum_below") (param $n i64) (result i64) (local $i i64) (local $acc i64)
    (loop $next
      (local.set $acc (i64.xor (i64.mul (local.get $acc) (i64.const 31)) (local.get $i)))
      (br_if $next (i64.lt_u (local.tee $i (i64.add (local.get $i) (i64.const 1))) (local.get $n))))
    (local.get $acc))

  ;; a loop closed by an unconditional branch after the step (I32AddThenJumpLoop) and a
  ;; forward branch fused with an add (I32AddThenJumpIfI32Eqz)
  (func (export "while_loop") (param $n i32) (result i32) (local $i i32) (local $acc i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (block $skip
          (br_if $skip (i32.eqz (local.tee $acc (i32.add (local.get $acc) (local.get $i)))))
          (local.set $acc (i32.rotl (local.get $acc) (i32.const 3))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $acc))

  ;; two binary ops fused, the first's result on either side of the second
  (func (export "mix") (param $a i32) (param $b i32) (param $c i32) (result i32)
    (i32.xor
      (i32.sub (local.get $c) (i32.add (local.get $a) (local.get $b)))   ;; I32AddThenI32SubSwapped
      (i32.sub (i32.shl (local.get $a) (i32.const 3)) (local.get $c))))  ;; no pair: two ops
  (func (export "mix_sub") (param $a i32) (param $b i32) (param $c i32) (result i32)
    (i32.sub (i32.add (local.get $a) (local.get $b)) (local.get $c)))    ;; I32AddThenI32Sub
  (func (export "mix_rotl") (param $a i32) (param $b i32) (result i32)
    (i32.rotl (local.get $b) (i32.xor (local.get $a) (local.get $b))))  ;; I32XorThenI32RotlSwapped
  (func (export "fms") (param $a f64) (param $b f64) (param $c f64) (result f64)
    (f64.sub (local.get $c) (f64.mul (local.get $a) (local.get $b))))    ;; F64MulThenF64SubSwapped

  ;; loads fused with the op that takes the loaded value
  (func (export "load_sub") (param $p i32) (param $x i32) (result i32)
    (i32.sub (local.get $x) (i32.load offset=4 (local.get $p))))         ;; I32LoadThenI32Sub
  (func (export "load_sub_swapped") (param $p i32) (param $x i32) (result i32)
    (i32.sub (i32.load offset=4 (local.get $p)) (local.get $x)))         ;; I32LoadThenI32SubSwapped
  (func (export "load_indexed_sub") (param $p i32) (param $q i32) (param $x f64) (result f64)
    (f64.sub (f64.load (i32.add (local.get $p) (local.get $q))) (local.get $x))) ;; F64LoadIndexedThenF64SubSwapped

  ;; `*++p`: the address add kept in a local by local.tee, absorbed by the access (IndexedTee);
  ;; returns the loaded value plus the final p * 1000
  (func (export "walk") (param $p i32) (param $n i32) (result i32) (local $acc i32)
    (loop $next
      (local.set $acc (i32.add (local.get $acc)
        (i32.load (local.tee $p (i32.add (local.get $p) (i32.const 4))))))
      (br_if $next (local.tee $n (i32.add (local.get $n) (i32.const -1)))))
    (i32.add (local.get $acc) (i32.mul (local.get $p) (i32.const 1000))))
  ;; stores the address itself at each new address: the value operand reads the local after the
  ;; absorbed add wrote it
  (func (export "fill_addresses") (param $p i32) (param $n i32) (result i32)
    (loop $next
      (i32.store (local.tee $p (i32.add (local.get $p) (i32.const 4))) (local.get $p))
      (br_if $next (local.tee $n (i32.add (local.get $n) (i32.const -1)))))
    (local.get $p))

  ;; a binary op whose result only a store reads (I32SubThenI32Store, F64MulThenF64Store)
  (func (export "store_sub") (param $p i32) (param $a i32) (param $b i32) (result i32)
    (i32.store offset=8 (local.get $p) (i32.sub (local.get $a) (local.get $b)))
    (i32.load offset=8 (local.get $p)))
  (func (export "store_mul") (param $p i32) (param $a f64) (param $b f64) (result f64)
    (f64.store (local.get $p) (f64.mul (local.get $a) (local.get $b)))
    (f64.load (local.get $p)))

  ;; `*p -= x` and `*p = x - *p` (I32LoadThenI32SubSwappedThenI32Store, I32LoadThenI32SubThenI32Store),
  ;; each returning what memory then holds; and `*p += x` on bytes, which keeps the low byte
  (func (export "sub_from_memory") (param $p i32) (param $x i32) (result i32)
    (i32.store offset=4 (local.get $p) (i32.sub (i32.load offset=4 (local.get $p)) (local.get $x)))
    (i32.load offset=4 (local.get $p)))
  (func (export "sub_memory_from") (param $p i32) (param $x i32) (result i32)
    (i32.store offset=4 (local.get $p) (i32.sub (local.get $x) (i32.load offset=4 (local.get $p))))
    (i32.load offset=4 (local.get $p)))
  (func (export "add_to_byte") (param $p i32) (param $x i32) (result i32)
    (i32.store8 (local.get $p) (i32.add (i32.load8_u (local.get $p)) (local.get $x)))
    (i32.load (local.get $p)))

  ;; `p = p + 4` while the old p is still on the stack: the add writes p itself, after the old
  ;; value is copied out; returns old p * new p
  (func (export "post_increment") (param $p i32) (result i32)
    (local.get $p)
    (local.set $p (i32.add (local.get $p) (i32.const 4)))
    (i32.mul (local.get $p)))

  ;; a tiny interpreter: `switch (code[pc++])` is one br_table on the loaded i32 with the add
  ;; joined (I32AddThenBrTableI32Load); its cases end with a move and the back-edge
  ;; (CopyThenJumpLoop). Opcodes at 200 + pc: 0 adds 1, 1 doubles, 2 (or anything else: the
  ;; default) stops.
  (func (export "interpret") (param $pc i32) (result i32) (local $acc i32) (local $following i32)
    (block $stop
      (loop $next
        (block $double
          (block $increment
            (local.set $following (i32.add (local.get $pc) (i32.const 4)))
            (br_table $increment $double $stop (i32.load offset=200 (local.get $pc))))
          (local.set $acc (i32.add (local.get $acc) (i32.const 1)))
          (local.set $pc (local.get $following))
          (br $next))
        (local.set $acc (i32.shl (local.get $acc) (i32.const 1)))
        (local.set $pc (local.get $following))
        (br $next)))
    (local.get $acc))

  ;; iterative Fibonacci closed by its moves and an unconditional back-edge (Copy2ThenJumpLoop)
  (func (export "fib_loop") (param $n i32) (result i32) (local $a i32) (local $b i32) (local $t i32)
    (local.set $b (i32.const 1))
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $n (i32.add (local.get $n) (i32.const -1)))
        (local.set $t (i32.add (local.get $a) (local.get $b)))
        (local.set $a (local.get $b))
        (local.set $b (local.get $t))
        (br $next)))
    (local.get $a))

  ;; x + 0 is x, with no instruction of its own (the listing has no add); and 0 + x*x, where the
  ;; product sits above the zero and the add stays
  (func (export "plus_zero") (param $x i32) (param $y i64) (result i32)
    (i32.sub (i32.add (i32.const 0) (local.get $x)) (i32.wrap_i64 (i64.add (local.get $y) (i64.const 0)))))
  (func (export "zero_plus_square") (param $x i32) (result i32)
    (i32.add (i32.const 0) (i32.mul (local.get $x) (local.get $x))))
)

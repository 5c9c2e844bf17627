;; The data checksum of snapshot files (see data-checksum.ts and docs/snapshot-format.md):
;; four interleaved Fletcher-4 sums over little-endian u32 words, with 64-bit wrapping sums.
;; Word i of the data goes to lane i mod 4; each lane runs a += w; b += a; c += b; d += c.
;;
;; Memory: bytes to sum at [0, 65536); the sums at 65536, as 16 u64 (a of lanes 0-3, then b,
;; c, d), read before and written after each call, so one instance serves every checksum.
(module
  (memory (export "memory") 2)
  (func (export "sum") (param $length i32)
    (local $at i32) (local $v v128)
    (local $a01 v128) (local $a23 v128) (local $b01 v128) (local $b23 v128)
    (local $c01 v128) (local $c23 v128) (local $d01 v128) (local $d23 v128)
    (local.set $a01 (v128.load offset=65536 (i32.const 0)))
    (local.set $a23 (v128.load offset=65552 (i32.const 0)))
    (local.set $b01 (v128.load offset=65568 (i32.const 0)))
    (local.set $b23 (v128.load offset=65584 (i32.const 0)))
    (local.set $c01 (v128.load offset=65600 (i32.const 0)))
    (local.set $c23 (v128.load offset=65616 (i32.const 0)))
    (local.set $d01 (v128.load offset=65632 (i32.const 0)))
    (local.set $d23 (v128.load offset=65648 (i32.const 0)))
    (block $done
      (loop $words
        (br_if $done (i32.ge_u (local.get $at) (local.get $length)))
        (local.set $v (v128.load (local.get $at)))
        (local.set $a01 (i64x2.add (local.get $a01) (i64x2.extend_low_i32x4_u (local.get $v))))
        (local.set $a23 (i64x2.add (local.get $a23) (i64x2.extend_high_i32x4_u (local.get $v))))
        (local.set $b01 (i64x2.add (local.get $b01) (local.get $a01)))
        (local.set $b23 (i64x2.add (local.get $b23) (local.get $a23)))
        (local.set $c01 (i64x2.add (local.get $c01) (local.get $b01)))
        (local.set $c23 (i64x2.add (local.get $c23) (local.get $b23)))
        (local.set $d01 (i64x2.add (local.get $d01) (local.get $c01)))
        (local.set $d23 (i64x2.add (local.get $d23) (local.get $c23)))
        (local.set $at (i32.add (local.get $at) (i32.const 16)))
        (br $words)))
    (v128.store offset=65536 (i32.const 0) (local.get $a01))
    (v128.store offset=65552 (i32.const 0) (local.get $a23))
    (v128.store offset=65568 (i32.const 0) (local.get $b01))
    (v128.store offset=65584 (i32.const 0) (local.get $b23))
    (v128.store offset=65600 (i32.const 0) (local.get $c01))
    (v128.store offset=65616 (i32.const 0) (local.get $c23))
    (v128.store offset=65632 (i32.const 0) (local.get $d01))
    (v128.store offset=65648 (i32.const 0) (local.get $d23))))

;; Polyphase FIR kernels for the streaming resampler, WebAssembly SIMD (128-bit).
;; Built by packages/audio/scripts/build-wasm.ts (wabt from npm) into polyphase-kernel-wasm.ts (base64).
;; The JavaScript side owns the memory layout: coefficient tables, a sample scratch area and an output area.
;;
;; A filter has `up` phases of `taps` coefficients each (`taps` padded to a multiple of 8 with zeros), stored
;; time-reversed so that output k is the dot product of its phase's row with the inputs history[newest .. newest+taps).
;; After each output: phase += stepFraction, newest += stepWhole, and a phase wrap at `up` moves newest on by one.
;; runFloat returns the final phase and leave the final newest index in the global `newest`.
(module
  (memory (export "memory") 1)
  (global $newest (export "newest") (mut i32) (i32.const 0))

  ;; int16 samples at $source → float32 at $target; `count` is rounded up to a multiple of 8 (the areas are padded).
  (func (export "widen") (param $source i32) (param $target i32) (param $count i32)
    (local $end i32) (local $x v128)
    (local.set $end (i32.add (local.get $source) (i32.shl (local.get $count) (i32.const 1))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $source) (local.get $end)))
        (local.set $x (v128.load (local.get $source)))
        (v128.store (local.get $target) (f32x4.convert_i32x4_s (i32x4.extend_low_i16x8_s (local.get $x))))
        (v128.store offset=16 (local.get $target) (f32x4.convert_i32x4_s (i32x4.extend_high_i16x8_s (local.get $x))))
        (local.set $source (i32.add (local.get $source) (i32.const 16)))
        (local.set $target (i32.add (local.get $target) (i32.const 32)))
        (br $next))))

  ;; Rounds (to nearest, ties to even), saturates to int16 and stores one output.
  (func $store (param $at i32) (param $value f64)
    (i32.store16 (local.get $at)
      (i32.trunc_sat_f64_s
        (f64.min (f64.max (f64.nearest (local.get $value)) (f64.const -32768)) (f64.const 32767)))))

  ;; float32 kernel: coefficients float32 (row = taps x 4 bytes), history float32 (see widen).
  (func (export "runFloat")
    (param $coefficients i32) (param $taps i32) (param $up i32) (param $history i32) (param $out i32)
    (param $outputs i32) (param $newestIn i32) (param $phase i32) (param $stepWhole i32) (param $stepFraction i32)
    (result i32)
    (local $end i32) (local $row i32) (local $samples i32) (local $left i32)
    (local $acc0 v128) (local $acc1 v128) (local $acc2 v128) (local $acc3 v128)
    (local $newestAt i32)
    (local.set $newestAt (local.get $newestIn))
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $outputs) (i32.const 1))))
    (block $finished
      (loop $output
        (br_if $finished (i32.ge_u (local.get $out) (local.get $end)))
        (local.set $row (i32.add (local.get $coefficients)
          (i32.shl (i32.mul (local.get $phase) (local.get $taps)) (i32.const 2))))
        (local.set $samples (i32.add (local.get $history) (i32.shl (local.get $newestAt) (i32.const 2))))
        (local.set $left (local.get $taps))
        (local.set $acc0 (v128.const i64x2 0 0))
        (local.set $acc1 (v128.const i64x2 0 0))
        (local.set $acc2 (v128.const i64x2 0 0))
        (local.set $acc3 (v128.const i64x2 0 0))
        (block $tail
          (loop $sixteen
            (br_if $tail (i32.lt_u (local.get $left) (i32.const 16)))
            (local.set $acc0 (f32x4.add (local.get $acc0)
              (f32x4.mul (v128.load (local.get $row)) (v128.load (local.get $samples)))))
            (local.set $acc1 (f32x4.add (local.get $acc1)
              (f32x4.mul (v128.load offset=16 (local.get $row)) (v128.load offset=16 (local.get $samples)))))
            (local.set $acc2 (f32x4.add (local.get $acc2)
              (f32x4.mul (v128.load offset=32 (local.get $row)) (v128.load offset=32 (local.get $samples)))))
            (local.set $acc3 (f32x4.add (local.get $acc3)
              (f32x4.mul (v128.load offset=48 (local.get $row)) (v128.load offset=48 (local.get $samples)))))
            (local.set $row (i32.add (local.get $row) (i32.const 64)))
            (local.set $samples (i32.add (local.get $samples) (i32.const 64)))
            (local.set $left (i32.sub (local.get $left) (i32.const 16)))
            (br $sixteen)))
        (if (i32.ne (local.get $left) (i32.const 0))
          (then
            (local.set $acc0 (f32x4.add (local.get $acc0)
              (f32x4.mul (v128.load (local.get $row)) (v128.load (local.get $samples)))))
            (local.set $acc1 (f32x4.add (local.get $acc1)
              (f32x4.mul (v128.load offset=16 (local.get $row)) (v128.load offset=16 (local.get $samples)))))))
        (local.set $acc0 (f32x4.add (f32x4.add (local.get $acc0) (local.get $acc1))
                                    (f32x4.add (local.get $acc2) (local.get $acc3))))
        (call $store (local.get $out) (call $lanes (local.get $acc0)))
        (local.set $out (i32.add (local.get $out) (i32.const 2)))
        (local.set $newestAt (i32.add (local.get $newestAt) (local.get $stepWhole)))
        (local.set $phase (i32.add (local.get $phase) (local.get $stepFraction)))
        (if (i32.ge_u (local.get $phase) (local.get $up))
          (then
            (local.set $phase (i32.sub (local.get $phase) (local.get $up)))
            (local.set $newestAt (i32.add (local.get $newestAt) (i32.const 1)))))
        (br $output)))
    (global.set $newest (local.get $newestAt))
    (local.get $phase))

  ;; ---- grouped kernels, for rate pairs whose period (up outputs for down inputs) is 2 or 3 outputs ----------------
  ;; The outputs of one period read overlapping windows that start at most a few inputs apart, so each output's row is
  ;; shifted to a common window start (the period's) and padded with zeros: one load of 8 inputs then serves every
  ;; output of the period. The group table interleaves the rows by 8 taps: [out 0: 8][out 1: 8]([out 2: 8]) per
  ;; 8 taps of the common window (`groupTaps` long). Every output is accumulated the same way (two float32x4 sums,
  ;; lane sums in float64) whichever function computes it, so any chunking gives the same bytes.

  ;; The sum of the four lanes: pairwise in float32, then widened.
  (func $lanes (param $v v128) (result f64)
    (local.set $v (f32x4.add (local.get $v)
      (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v))))
    (local.set $v (f32x4.add (local.get $v)
      (i8x16.shuffle 4 5 6 7 0 1 2 3 12 13 14 15 8 9 10 11 (local.get $v) (local.get $v))))
    (f64.promote_f32 (f32x4.extract_lane 0 (local.get $v))))

  ;; `count` single outputs, starting at output `j` of the period whose window starts at `periodNewest`; returns the
  ;; position in the period after the last one and leaves that period's window start in `newest`.
  (func (export "runGroupSingles")
    (param $table i32) (param $groupTaps i32) (param $group i32) (param $history i32) (param $out i32)
    (param $count i32) (param $j i32) (param $periodNewest i32) (param $down i32) (result i32)
    (local $end i32) (local $row i32) (local $samples i32) (local $left i32) (local $stride i32)
    (local $x0 v128) (local $x1 v128) (local $acc0 v128) (local $acc1 v128)
    (local.set $stride (i32.shl (local.get $group) (i32.const 5)))
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $count) (i32.const 1))))
    (block $finished
      (loop $output
        (br_if $finished (i32.ge_u (local.get $out) (local.get $end)))
        (local.set $row (i32.add (local.get $table) (i32.shl (local.get $j) (i32.const 5))))
        (local.set $samples (i32.add (local.get $history) (i32.shl (local.get $periodNewest) (i32.const 2))))
        (local.set $left (local.get $groupTaps))
        (local.set $acc0 (v128.const i64x2 0 0))
        (local.set $acc1 (v128.const i64x2 0 0))
        (block $done
          (loop $eight
            (br_if $done (i32.eqz (local.get $left)))
            (local.set $x0 (v128.load (local.get $samples)))
            (local.set $x1 (v128.load offset=16 (local.get $samples)))
            (local.set $acc0 (f32x4.add (local.get $acc0) (f32x4.mul (local.get $x0) (v128.load (local.get $row)))))
            (local.set $acc1 (f32x4.add (local.get $acc1)
              (f32x4.mul (local.get $x1) (v128.load offset=16 (local.get $row)))))
            (local.set $row (i32.add (local.get $row) (local.get $stride)))
            (local.set $samples (i32.add (local.get $samples) (i32.const 32)))
            (local.set $left (i32.sub (local.get $left) (i32.const 8)))
            (br $eight)))
        (call $store (local.get $out) (call $lanes (f32x4.add (local.get $acc0) (local.get $acc1))))
        (local.set $out (i32.add (local.get $out) (i32.const 2)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (if (i32.eq (local.get $j) (local.get $group))
          (then
            (local.set $j (i32.const 0))
            (local.set $periodNewest (i32.add (local.get $periodNewest) (local.get $down)))))
        (br $output)))
    (global.set $newest (local.get $periodNewest))
    (local.get $j))

  ;; `periods` whole periods of 2 outputs from the window at `periodNewest`; leaves the next period's in `newest`.
  (func (export "runPairs")
    (param $table i32) (param $groupTaps i32) (param $history i32) (param $out i32) (param $periods i32)
    (param $periodNewest i32) (param $down i32)
    (local $end i32) (local $row i32) (local $samples i32) (local $left i32)
    (local $x0 v128) (local $x1 v128) (local $a0 v128) (local $a1 v128) (local $b0 v128) (local $b1 v128)
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $periods) (i32.const 2))))
    (block $finished
      (loop $period
        (br_if $finished (i32.ge_u (local.get $out) (local.get $end)))
        (local.set $row (local.get $table))
        (local.set $samples (i32.add (local.get $history) (i32.shl (local.get $periodNewest) (i32.const 2))))
        (local.set $left (local.get $groupTaps))
        (local.set $a0 (v128.const i64x2 0 0))
        (local.set $a1 (v128.const i64x2 0 0))
        (local.set $b0 (v128.const i64x2 0 0))
        (local.set $b1 (v128.const i64x2 0 0))
        (block $done
          (loop $eight
            (br_if $done (i32.eqz (local.get $left)))
            (local.set $x0 (v128.load (local.get $samples)))
            (local.set $x1 (v128.load offset=16 (local.get $samples)))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $x0) (v128.load (local.get $row)))))
            (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $x1) (v128.load offset=16 (local.get $row)))))
            (local.set $b0 (f32x4.add (local.get $b0) (f32x4.mul (local.get $x0) (v128.load offset=32 (local.get $row)))))
            (local.set $b1 (f32x4.add (local.get $b1) (f32x4.mul (local.get $x1) (v128.load offset=48 (local.get $row)))))
            (local.set $row (i32.add (local.get $row) (i32.const 64)))
            (local.set $samples (i32.add (local.get $samples) (i32.const 32)))
            (local.set $left (i32.sub (local.get $left) (i32.const 8)))
            (br $eight)))
        (call $store (local.get $out) (call $lanes (f32x4.add (local.get $a0) (local.get $a1))))
        (call $store (i32.add (local.get $out) (i32.const 2)) (call $lanes (f32x4.add (local.get $b0) (local.get $b1))))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (local.set $periodNewest (i32.add (local.get $periodNewest) (local.get $down)))
        (br $period)))
    (global.set $newest (local.get $periodNewest)))

  ;; `periods` whole periods of 3 outputs (see runPairs).
  (func (export "runTriples")
    (param $table i32) (param $groupTaps i32) (param $history i32) (param $out i32) (param $periods i32)
    (param $periodNewest i32) (param $down i32)
    (local $end i32) (local $row i32) (local $samples i32) (local $left i32)
    (local $x0 v128) (local $x1 v128) (local $a0 v128) (local $a1 v128) (local $b0 v128) (local $b1 v128)
    (local $c0 v128) (local $c1 v128)
    (local.set $end (i32.add (local.get $out) (i32.mul (local.get $periods) (i32.const 6))))
    (block $finished
      (loop $period
        (br_if $finished (i32.ge_u (local.get $out) (local.get $end)))
        (local.set $row (local.get $table))
        (local.set $samples (i32.add (local.get $history) (i32.shl (local.get $periodNewest) (i32.const 2))))
        (local.set $left (local.get $groupTaps))
        (local.set $a0 (v128.const i64x2 0 0))
        (local.set $a1 (v128.const i64x2 0 0))
        (local.set $b0 (v128.const i64x2 0 0))
        (local.set $b1 (v128.const i64x2 0 0))
        (local.set $c0 (v128.const i64x2 0 0))
        (local.set $c1 (v128.const i64x2 0 0))
        (block $done
          (loop $eight
            (br_if $done (i32.eqz (local.get $left)))
            (local.set $x0 (v128.load (local.get $samples)))
            (local.set $x1 (v128.load offset=16 (local.get $samples)))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $x0) (v128.load (local.get $row)))))
            (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $x1) (v128.load offset=16 (local.get $row)))))
            (local.set $b0 (f32x4.add (local.get $b0) (f32x4.mul (local.get $x0) (v128.load offset=32 (local.get $row)))))
            (local.set $b1 (f32x4.add (local.get $b1) (f32x4.mul (local.get $x1) (v128.load offset=48 (local.get $row)))))
            (local.set $c0 (f32x4.add (local.get $c0) (f32x4.mul (local.get $x0) (v128.load offset=64 (local.get $row)))))
            (local.set $c1 (f32x4.add (local.get $c1) (f32x4.mul (local.get $x1) (v128.load offset=80 (local.get $row)))))
            (local.set $row (i32.add (local.get $row) (i32.const 96)))
            (local.set $samples (i32.add (local.get $samples) (i32.const 32)))
            (local.set $left (i32.sub (local.get $left) (i32.const 8)))
            (br $eight)))
        (call $store (local.get $out) (call $lanes (f32x4.add (local.get $a0) (local.get $a1))))
        (call $store (i32.add (local.get $out) (i32.const 2)) (call $lanes (f32x4.add (local.get $b0) (local.get $b1))))
        (call $store (i32.add (local.get $out) (i32.const 4)) (call $lanes (f32x4.add (local.get $c0) (local.get $c1))))
        (local.set $out (i32.add (local.get $out) (i32.const 6)))
        (local.set $periodNewest (i32.add (local.get $periodNewest) (local.get $down)))
        (br $period)))
    (global.set $newest (local.get $periodNewest)))
)

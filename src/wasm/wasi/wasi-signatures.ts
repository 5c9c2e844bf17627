/**
 * The WASI preview1 functions the shim provides, with their core wasm signatures: one letter
 * per parameter (`i` i32, `I` i64). Every function returns an i32 errno, except proc_exit.
 * The module loader checks a guest's WASI imports against this table, so a mismatched import
 * is refused at load time rather than handed garbage arguments.
 */
export const wasiModule = 'wasi_snapshot_preview1';

export const wasiSignatures: Readonly<Record<string, string>> = {
  args_get: 'ii', args_sizes_get: 'ii', environ_get: 'ii', environ_sizes_get: 'ii',
  clock_res_get: 'ii', clock_time_get: 'iIi',
  fd_advise: 'iIIi', fd_allocate: 'iII', fd_close: 'i', fd_datasync: 'i', fd_fdstat_get: 'ii',
  fd_fdstat_set_flags: 'ii', fd_fdstat_set_rights: 'iII', fd_filestat_get: 'ii', fd_filestat_set_size: 'iI',
  fd_filestat_set_times: 'iIIi', fd_pread: 'iiiIi', fd_prestat_get: 'ii', fd_prestat_dir_name: 'iii',
  fd_pwrite: 'iiiIi', fd_read: 'iiii', fd_readdir: 'iiiIi', fd_renumber: 'ii', fd_seek: 'iIii', fd_sync: 'i',
  fd_tell: 'ii', fd_write: 'iiii',
  path_create_directory: 'iii', path_filestat_get: 'iiiii', path_filestat_set_times: 'iiiiIIi',
  path_link: 'iiiiiii', path_open: 'iiiiiIIii', path_readlink: 'iiiiii', path_remove_directory: 'iii',
  path_rename: 'iiiiii', path_symlink: 'iiiii', path_unlink_file: 'iii',
  poll_oneoff: 'iiii', proc_exit: 'i', proc_raise: 'i', sched_yield: '', random_get: 'ii',
  sock_accept: 'iii', sock_recv: 'iiiiii', sock_send: 'iiiii', sock_shutdown: 'ii',
};

/** The parameter and result types of a WASI function, in the module parser's terms. */
export function wasiFunctionType(name: string): { params: ('i32' | 'i64')[]; results: 'i32'[] } | undefined {
  const letters = wasiSignatures[name];
  if (letters === undefined) return undefined;
  return {
    params: [...letters].map((c) => (c === 'I' ? 'i64' : 'i32')),
    results: name === 'proc_exit' ? [] : ['i32'],
  };
}

#ifndef SANDBOX_DESCRIPTORS_H
#define SANDBOX_DESCRIPTORS_H

// One descriptor of our own per database file (inode) in the process, opened with O_DIRECT where
// the file system takes it, shared by every handle to the file and closed after the last one.
// Why shared: closing any descriptor of a file drops every POSIX lock the process holds on it,
// including the SHARED lock by which SQLite's WAL mode keeps other processes from deleting the WAL;
// so ours may close only when SQLite has closed the file everywhere in the process. Internal to
// the checkpoint VFS.

typedef struct Descriptor {
    unsigned long device;
    unsigned long inode;
    int fd;
    int direct;           // opened with O_DIRECT and not refused since (read and written atomically)
    int handles;          // our open handles to this file
    struct Descriptor *next;
} Descriptor;

// The descriptor for the file SQLite has just opened at `path`, or NULL (the handle goes without).
Descriptor *descriptor_acquire(const char *path);

// After SQLite has closed its handle: the last one closes the descriptor.
void descriptor_release(Descriptor *descriptor);

#endif

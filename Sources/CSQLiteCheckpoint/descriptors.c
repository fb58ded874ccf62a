// See descriptors.h.

#define _GNU_SOURCE
#include "descriptors.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static Descriptor *descriptors;

Descriptor *descriptor_acquire(const char *path) {
    struct stat named;
    if (stat(path, &named) != 0) return NULL;
    pthread_mutex_lock(&lock);
    Descriptor *d = descriptors;
    while (d && !(d->device == named.st_dev && d->inode == named.st_ino)) d = d->next;
    if (d) {
        d->handles += 1;
        pthread_mutex_unlock(&lock);
        return d;
    }
    int direct = 1;
    int fd = open(path, O_WRONLY | O_DIRECT | O_CLOEXEC);
    if (fd < 0 && errno == EINVAL) {
        // A file system without direct I/O: the descriptor still starts the cache's writeback.
        direct = 0;
        fd = open(path, O_WRONLY | O_CLOEXEC);
    }
    struct stat opened;
    if (fd < 0 || fstat(fd, &opened) != 0 || opened.st_dev != named.st_dev || opened.st_ino != named.st_ino
        || !(d = calloc(1, sizeof *d))) {
        // Nothing opened, or the name given to another file between stat and open (which only the
        // agent does to its state, with its connections closed), or no memory. A descriptor that
        // was opened is left open, unused: it may be of a file the process holds locks on.
        pthread_mutex_unlock(&lock);
        return NULL;
    }
    d->device = opened.st_dev;
    d->inode = opened.st_ino;
    d->fd = fd;
    d->direct = direct;
    d->handles = 1;
    d->next = descriptors;
    descriptors = d;
    pthread_mutex_unlock(&lock);
    return d;
}

void descriptor_release(Descriptor *released) {
    pthread_mutex_lock(&lock);
    released->handles -= 1;
    if (released->handles == 0) {
        Descriptor **link = &descriptors;
        while (*link != released) link = &(*link)->next;
        *link = released->next;
        close(released->fd);
        free(released);
    }
    pthread_mutex_unlock(&lock);
}

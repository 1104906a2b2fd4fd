// Built into every target of a ThreadSanitizer build (LOCI_TSAN), so that
// any run of its programs and tests, by CTest or by hand, uses it.
//
// ThreadSanitizer cannot see the synchronisation inside libraries that were
// not built with it: ICU initialises its data once with its own atomics
// (umtx_initOnce), and TSan then reports races inside ICU that are none.
// Both of ICU's libraries are named: the charset detector (text_decoder)
// registers its cleanup in libicui18n, which unlocks a mutex that
// libicuuc locked, and with only libicuuc's calls ignored TSan saw an
// "unlock of an unlocked mutex". glibc's tzset re-reads the time zone
// under glibc's own lock, which TSan does not see either: libzip converts
// each archive entry's DOS time with mktime on two workers at once, and
// TSan reported the freeing of the old zone name as a race. Our code is
// never suppressed.
extern "C" const char* __tsan_default_suppressions() {
    return "race:libicuuc.so\n"
           "called_from_lib:libicuuc.so\n"
           "race:libicui18n.so\n"
           "called_from_lib:libicui18n.so\n"
           "race:tzset_internal\n";
}

import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

/**
 * zod's English messages for every schema the product builds. The functions' schemas use
 * `zod/mini` (a fifth of classic zod's code to load at cold start), which, unlike classic zod,
 * does not install a locale: without this, every issue would read "Invalid input". Imported for
 * its effect by each module that builds a schema, so the wording cannot depend on import order.
 */
config(en());

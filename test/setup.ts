// Runs in every test file: removes the temporary directories the file made through tempDir().
import { afterAll } from 'vitest';
import { removeTempDirs } from './helpers/cli.js';

afterAll(() => removeTempDirs());

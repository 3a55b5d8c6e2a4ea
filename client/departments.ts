/**
 * The city's departments (`GET /api/departments`), fetched once per page: the
 * header picks the involved ones by id, the Mitzeichnung prints their names.
 */
import { useEffect, useState } from 'react';
import type { Department } from '../dossier/rest';
import { api } from './api';

let loading: Promise<Department[]> | undefined;

/** The departments, or undefined while they load (or after a failed load, which the next use retries). */
export function useDepartments(): Department[] | undefined {
  const [departments, setDepartments] = useState<Department[]>();
  useEffect(() => {
    let mounted = true;
    loading ??= api.departments().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    loading.then(
      (list) => mounted && setDepartments(list),
      () => undefined,
    );
    return () => {
      mounted = false;
    };
  }, []);
  return departments;
}
